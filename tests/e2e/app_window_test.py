#!/usr/bin/python3
"""The real Tandem window, driven as a person would (issue 12).

Under Xvfb (a real X server, not offscreen) and a private D-Bus session with the AT-SPI
bus: a demo tandem-server, then the `tandem` binary on an empty replica. Controls are
found in the accessibility tree by their Accessible.name (pyatspi) and clicked and typed
into with xdotool at the centre of their extents, the way a mouse and keyboard do it:

  1. sign in as sales.head (server address, username, password, "Sign in");
  2. log progress on a task in three clicks ("Log progress on …", "Add 10 percent",
     "Save progress");
  3. sign a plan in review with the password ("Approvals", "Approve …", the password,
     "Sign with password").

The results are then read in tandem-cli's replica of another user (hq.zhao): the
task's new percent and the sign-off, as the server stored them.

Run inside `dbus-run-session` (CTest does). Needs xvfb, xdotool, at-spi2-core and
python3-pyatspi (packaging/install-deps.sh). Uses the system python3 (pyatspi).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

try:
    import pyatspi
except ImportError:  # reported in main(): python3-pyatspi is a dependency, not a reason to skip
    pyatspi = None

PASSWORD = "tandem-demo"
SKIP = 77  # CTest's SKIP_RETURN_CODE


class Failure(Exception):
    pass


def wait_for(what, probe, timeout=40.0, interval=0.1):
    """Polls `probe` (the UI offers no event to await from here) until it returns a
    truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise Failure(f"timed out waiting for {what}")
        time.sleep(interval)




class Session:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.processes = []
        self.display = None

    def start(self, argv, **kwargs):
        process = subprocess.Popen(argv, **kwargs)
        self.processes.append(process)
        return process

    def stop_all(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def cli(self, replica, *args, check=True):
        env = dict(os.environ, TANDEM_PASSWORD=PASSWORD)
        result = subprocess.run([self.args.cli_bin, "--replica", replica, *args], env=env, capture_output=True,
                                text=True, timeout=120)
        if check and result.returncode != 0:
            raise Failure(f"tandem-cli {' '.join(args)}: {result.returncode} {result.stderr.strip()}")
        return result.stdout

    def xdotool(self, *args):
        subprocess.run(["xdotool", *args], check=True, env=dict(os.environ, DISPLAY=self.display))


def find(node, name, role=None, depth=0):
    """The first accessible under `node` called `name` (and of `role`), that is showing."""
    if node is None or depth > 60:
        return None
    try:
        roles = role if isinstance(role, tuple) else (role,)
        if (name is None or node.name == name) and (role is None or node.getRole() in roles):
            states = node.getState()
            if states.contains(pyatspi.STATE_SHOWING):
                return node
        for i in range(node.childCount):
            found = find(node.getChildAtIndex(i), name, role, depth + 1)
            if found is not None:
                return found
    except Exception:  # the tree changes under us while pages switch
        return None
    return None


def describe(node, depth=0, lines=None):
    """The showing part of the accessibility tree, one line a node, for a failure's report."""
    lines = [] if lines is None else lines
    if node is None or depth > 60 or len(lines) > 400:
        return lines
    try:
        if depth == 0 or node.getState().contains(pyatspi.STATE_SHOWING):
            lines.append(f"{'  ' * depth}{node.getRoleName()} {node.name!r}")
            for i in range(node.childCount):
                describe(node.getChildAtIndex(i), depth + 1, lines)
    except Exception:
        pass
    return lines


def app_root():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name and app.name.lower().startswith("tandem"):
            return app
    return None


def centre(node):
    x, y, w, h = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    if w <= 0 or h <= 0:
        raise Failure(f"{node.name!r} has no extents")
    return x + w // 2, y + h // 2


def click(session, name, role=None, timeout=40.0):
    node = wait_for(f"the control {name!r}", lambda: find(app_root(), name, role), timeout)
    x, y = centre(node)
    session.xdotool("mousemove", "--sync", str(x), str(y))
    session.xdotool("click", "1")
    return node


def type_into(session, name, text):
    click(session, name, (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY))
    session.xdotool("key", "--clearmodifiers", "ctrl+a")
    session.xdotool("type", "--delay", "20", text)


def type_password(session, text):
    """Qt 6.4 gives a password field no accessible name over AT-SPI (its Accessible.name
    does not reach the bus), so the one showing password field is found by its role."""
    node = wait_for("the password field", lambda: find(app_root(), None, pyatspi.ROLE_PASSWORD_TEXT), 40)
    x, y = centre(node)
    session.xdotool("mousemove", "--sync", str(x), str(y))
    session.xdotool("click", "1")
    session.xdotool("key", "--clearmodifiers", "ctrl+a")
    session.xdotool("type", "--delay", "20", text)


def run(args):
    work = tempfile.mkdtemp(prefix="tandem-window-")
    session = Session(args, work)
    try:
        # A real X server and the accessibility bus of this D-Bus session.
        # Xvfb picks a free display itself and writes its number once it accepts clients.
        read_end, write_end = os.pipe()
        session.start(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                      pass_fds=(write_end,), stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as displayfd:
            number = displayfd.readline().strip()
        if not number.isdigit():
            raise Failure("Xvfb did not start")
        session.display = f":{number}"
        session.start(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"], stderr=subprocess.DEVNULL)

        server = session.start([args.server_bin, "--data", os.path.join(work, "server"), "--listen", "127.0.0.1:0",
                                "--demo"], stdout=subprocess.PIPE, stderr=open(os.path.join(work, "server.log"), "w"),
                               text=True)
        line = server.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if not match:
            raise Failure(f"tandem-server did not start: {line!r}")
        url = match.group(1)

        # The owner of the demo plan puts a new plan into review, with SALES taking part.
        owner = os.path.join(work, "owner")
        session.cli(owner, "login", url, "mkt.head")
        session.cli(owner, "sync")
        dump = json.loads(session.cli(owner, "dump"))["entities"]
        dept = {e["fields"].get("code"): i for i, e in dump.items() if e["type"] == "department"}
        member = {e["fields"].get("username"): i for i, e in dump.items() if e["type"] == "member"}
        title = "渠道复盘计划"
        plan = session.cli(owner, "new", "plan", f'title="{title}"', f'lead_department="{dept["MKT"]}"',
                           f'owner="{member["mkt.head"]}"', f'participants.{dept["SALES"]}=true',
                           'status="draft"').strip()
        session.cli(owner, "set", plan, "goal_what", '"复盘渠道铺货效果"')
        session.cli(owner, "sync")  # the server takes a new plan as a draft only
        session.cli(owner, "set", plan, "status", '"in_review"')
        session.cli(owner, "sync")
        status = json.loads(session.cli(owner, "--json", "show", plan))["fields"].get("status")
        if status != "in_review":
            raise Failure(f"the plan to sign is {status}, not in_review: {session.cli(owner, 'rejected')}")

        # The app, in a real window, on a replica of its own.
        env = dict(os.environ, DISPLAY=session.display, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
                   QT_ACCESSIBILITY="1", LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("TANDEM_PASSWORD", None)
        app = session.start([args.app_bin, "--replica", os.path.join(work, "app"), "--lang", "en", "--size",
                             "desktop"], env=env, stdout=open(os.path.join(work, "app.log"), "w"),
                            stderr=subprocess.STDOUT)
        wait_for("the app in the accessibility tree", app_root, 40)

        # 1. Sign in.
        type_into(session, "Server address", url)
        type_into(session, "Username", "sales.head")
        type_password(session, PASSWORD)
        click(session, "Sign in", pyatspi.ROLE_PUSH_BUTTON)

        # 2. Progress in three clicks from My work.
        task_name = "销售培训材料制作"
        log = wait_for("My work with the task", lambda: find(app_root(), f"Log progress on {task_name}"), 60)
        reader = os.path.join(work, "hq")
        session.cli(reader, "login", url, "hq.zhao")
        session.cli(reader, "sync")
        task = next(i for i, e in json.loads(session.cli(reader, "dump"))["entities"].items()
                    if e["type"] == "task" and e["fields"].get("name") == task_name)
        before = json.loads(session.cli(reader, "--json", "show", task))["fields"]["percent"]
        if before >= 100:
            raise Failure(f"{task_name} is already at {before}%: adding 10 would show nothing")
        clicks = 0
        x, y = centre(log)
        session.xdotool("mousemove", "--sync", str(x), str(y))
        session.xdotool("click", "1")
        clicks += 1
        click(session, "Add 10 percent")
        clicks += 1
        click(session, "Save progress")
        clicks += 1
        assert clicks == 3
        after = min(100, before + 10)
        # The sheet closes (a click while its overlay fades out would land on it) and
        # My work shows the new percent.
        wait_for("the progress sheet to close", lambda: find(app_root(), "Save progress") is None, 20)
        wait_for(f"My work showing {after}%", lambda: find(app_root(), f"Progress {after}%"), 20)

        # 3. Sign the plan in review, with the password.
        click(session, "Approvals")
        click(session, f"Approve {title}")
        type_password(session, PASSWORD)
        click(session, "Sign with password")
        wait_for("the sign-off sheet to close", lambda: find(app_root(), "Sign with password") is None, 20)

        # The server has both, as another user's replica shows.
        def landed():
            session.cli(reader, "sync", check=False)
            percent = json.loads(session.cli(reader, "--json", "show", task))["fields"].get("percent")
            entities = json.loads(session.cli(reader, "dump"))["entities"]
            signed = [e for e in entities.values() if e["type"] == "signoff" and e["fields"].get("subject") == plan]
            return percent == after and signed
        signoffs = wait_for("the progress and the sign-off on the server", landed, 60, 0.5)
        fields = signoffs[0]["fields"]
        if fields.get("meaning") != "approve" or fields.get("department") != dept["SALES"]:
            raise Failure(f"unexpected sign-off {fields}")
        if app.poll() is not None:
            raise Failure(f"the app exited with {app.returncode}")
        print(f"ok: signed in, progress {before}% -> {after}% in {clicks} clicks, plan signed")
        return 0
    except Failure as failure:
        print(f"FAIL: {failure} (logs in {work})", file=sys.stderr)
        print("--- the app's accessibility tree (showing nodes)", file=sys.stderr)
        print("\n".join(describe(app_root())), file=sys.stderr)
        for name in ("app.log", "server.log"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                print(f"--- {name}", file=sys.stderr)
                print(open(path, errors="replace").read()[-4000:], file=sys.stderr)
        work = None  # keep it
        return 1
    finally:
        session.stop_all()
        if work:
            shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app-bin", required=True)
    parser.add_argument("--server-bin", required=True)
    parser.add_argument("--cli-bin", required=True)
    args = parser.parse_args()
    missing = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if missing:
        print(f"SKIP: {' and '.join(missing)} not installed (packaging/install-deps.sh installs them)")
        return SKIP
    if pyatspi is None:
        print("FAIL: python3-pyatspi is not installed (packaging/install-deps.sh)", file=sys.stderr)
        return 1
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("FAIL: run inside dbus-run-session (CTest does)", file=sys.stderr)
        return 1
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
