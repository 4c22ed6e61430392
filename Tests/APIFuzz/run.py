#!/usr/bin/env python3
"""The API fuzzing run of .ci/api-fuzz: a ledger database with the demo district, its plan
approved, filed and published through the API, then schemathesis (all checks) against
`planner serve`'s own /openapi.json. Fails on any failure schemathesis reports — a 5xx among
them. Test harness only: the product never runs Python."""
import json, os, re, subprocess, sys, tempfile, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
planner = sys.argv[1]
schemathesis = sys.argv[2]
examples = sys.argv[3] if len(sys.argv) > 3 else "40"
work = tempfile.mkdtemp(prefix="planner-api-fuzz-")
db = os.path.join(work, "api.sqlite")
env = dict(os.environ, PLANNER_PDF="never")

def run(*args, stdin=None):
    r = subprocess.run([planner, *args], input=stdin, env=env, capture_output=True, text=True)
    if r.returncode not in (0,):
        sys.exit(f"planner {' '.join(args)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    return r.stdout

run("ledger", "import", os.path.join(root, "scenarios/demo/ledger.csv"), "--db", db, "--by", "ci", "--reason", "API fuzzing")
run("plan", os.path.join(root, "scenarios/demo"), "--db", db, "--out", os.path.join(work, "plan"))
users = [("planner", "浦东新区应急管理局", "planner", "planner pw"), ("reviewer", "浦东新区应急管理局", "reviewer", "reviewer pw")]
for name, authority, role, pw in users:
    run("user", "add", name, "--db", db, "--authority", authority, "--role", role, "--password-stdin", stdin=pw + "\n")

server = subprocess.Popen([planner, "serve", "--db", db, "--port", "0", "--year", "2027"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    line = server.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        sys.exit(f"planner serve did not start: {line}{server.stdout.read() if server.poll() is not None else ''}")
    base = f"http://127.0.0.1:{m.group(1)}"

    def call(method, path, body=None, cookie=None):
        req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
        req.add_header("Content-Type", "application/json")
        if cookie:
            req.add_header("Cookie", cookie)
        with urllib.request.urlopen(req) as r:
            return r.status, r.headers.get("Set-Cookie"), json.loads(r.read() or b"null")

    def sign_in(user, pw):
        _, set_cookie, _ = call("POST", "/api/session", {"user": user, "password": pw})
        return set_cookie.split(";")[0]

    p, r = sign_in("planner", "planner pw"), sign_in("reviewer", "reviewer pw")
    call("POST", "/api/plans/1/workflow", {"action": "submit"}, p)
    call("POST", "/api/plans/1/workflow", {"action": "approve", "approvalNumber": "浦府〔2027〕1号", "approvalDate": "2027-01-10"}, r)
    call("POST", "/api/plans/1/workflow", {"action": "file"}, p)
    call("POST", "/api/plans/1/workflow", {"action": "publish"}, p)
    fuzz_env = dict(os.environ, PLANNER_SESSION=sign_in("planner", "planner pw").split("=", 1)[1])
    cmd = [schemathesis, "--config-file", os.path.join(root, "Tests/APIFuzz/schemathesis.toml"), "run", base + "/openapi.json",
           "--checks", "all", "--max-examples", examples, "--generation-deterministic", "--request-timeout", "30"]
    print("$ " + " ".join(cmd), flush=True)
    status = subprocess.run(cmd, env=fuzz_env).returncode
finally:
    server.terminate()
    server.wait(10)
sys.exit(status)
