"""Seeds moto's server (AWS_ENDPOINT_URL) with functions and log events for lambcost's tests.

Reads a JSON document from the file named: {"functions": [{"name", "runtime", "memory_mb",
"arch"}], "logs": [{"group", "stream", "events": [[offset_ms_before_now, message], ...]}]}.
Log events are put in batches of at most 10,000, in time order, as PutLogEvents requires.
"""
import io
import json
import sys
import time
import zipfile

import os

import boto3

spec = json.load(open(sys.argv[1]))
kw = {"region_name": os.environ.get("AWS_REGION", "us-east-1")}
lam = boto3.client("lambda", **kw)
logs = boto3.client("logs", **kw)
iam = boto3.client("iam", **kw)
try:
    role = iam.create_role(RoleName="lambcost-test", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
except iam.exceptions.EntityAlreadyExistsException:
    role = iam.get_role(RoleName="lambcost-test")["Role"]["Arn"]
code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.writestr("bootstrap", "#!/bin/sh\n")
for f in spec.get("functions", []):
    lam.create_function(
        FunctionName=f["name"], Runtime=f["runtime"], Role=role, Handler="bootstrap",
        Code={"ZipFile": code.getvalue()}, MemorySize=f["memory_mb"],
        Architectures=[f.get("arch", "x86_64")],
    )
now = int(time.time() * 1000)
for g in spec.get("logs", []):
    try:
        logs.create_log_group(logGroupName=g["group"])
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    logs.create_log_stream(logGroupName=g["group"], logStreamName=g["stream"])
    events = [{"timestamp": now - ago, "message": m} for ago, m in g["events"]]
    events.sort(key=lambda e: e["timestamp"])
    for i in range(0, len(events), 10000):
        logs.put_log_events(logGroupName=g["group"], logStreamName=g["stream"], logEvents=events[i:i + 10000])
