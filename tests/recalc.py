#!/usr/bin/python3
"""Recalculates a lambcost workbook in LibreOffice Calc (headless, through UNO) and prints the
Cost sheet's values as JSON. With --set SHEET!CELL=VALUE, changes a cell first, to show the
workbook recomputes. Needs Debian's libreoffice-calc and python3-uno."""
import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

path = os.path.abspath(sys.argv[1])
changes = [a.split("=", 1) for a in sys.argv[2:] if "=" in a]
pipe = "lambcost_recalc_%d" % os.getpid()
profile = tempfile.mkdtemp(prefix="lambcost-lo-")
office = subprocess.Popen(
    ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
     "--accept=pipe,name=%s;urp;" % pipe, "-env:UserInstallation=file://%s" % profile],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = None
    for _ in range(300):
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.1)
    if context is None:
        sys.exit("LibreOffice did not start")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
    for target, value in changes:
        sheet_name, cell = target.split("!")
        doc.Sheets.getByName(sheet_name).getCellRangeByName(cell).setValue(float(value))
    doc.calculateAll()
    cost = doc.Sheets.getByName("Cost")
    header = [cost.getCellByPosition(c, 0).getString() for c in range(9)]
    rows = []
    r = 1
    while cost.getCellByPosition(0, r).getString():
        row = {}
        for c, name in enumerate(header):
            cell = cost.getCellByPosition(c, r)
            row[name] = cell.getString() if name == "variant" else cell.getValue()
        rows.append(row)
        r += 1
    doc.close(True)
    print(json.dumps(rows))
finally:
    office.terminate()
    try:
        office.wait(timeout=20)
    except subprocess.TimeoutExpired:
        office.kill()
