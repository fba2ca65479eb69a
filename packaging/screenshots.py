#!/usr/bin/env python3
"""Renders every page of the app into docs/screenshots/ (issue 12).

    packaging/screenshots.py [--build build] [--out docs/screenshots]

Starts a demo tandem-server on 127.0.0.1:0, prepares what each page is about with
tandem-cli (a plan in review for the approvals, a value two people overwrote for the
conflicts, an edit the server refuses), and runs `tandem --screenshot` for each page
at phone (390x844) and desktop (1440x900) size, in English and Chinese. The app draws
on a private Xvfb display (OpenGL through Mesa's llvmpipe), as in a real window: Qt's
software renderer, all `offscreen` offers, drops the shader effects Material's raised
buttons are drawn with. Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PASSWORD = "tandem-demo"
SIZES = ("phone", "desktop")
LANGUAGES = ("en", "zh_CN")


class Demo:
    def __init__(self, build, work):
        self.build = build
        self.work = work
        self.cli_bin = os.path.join(build, "client/cli/tandem-cli")
        self.app_bin = os.path.join(build, "client/app/exe/tandem")
        server_bin = os.path.join(build, "sync-server/tandem-server")
        self.server = subprocess.Popen(
            [server_bin, "--data", os.path.join(work, "server"), "--listen", "127.0.0.1:0", "--demo"],
            stdout=subprocess.PIPE, stderr=open(os.path.join(work, "server.log"), "w"), text=True)
        match = re.search(r"listening on (http://\S+)", self.server.stdout.readline())
        if not match:
            raise SystemExit("tandem-server did not start")
        self.url = match.group(1)

        # A private X display: -displayfd picks a free number and writes it when ready.
        read, write = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                                     pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as ready:
            self.display = ":" + ready.readline().strip()

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=20)
        self.xvfb.terminate()
        self.xvfb.wait(timeout=20)

    def cli(self, replica, *args):
        result = subprocess.run([self.cli_bin, "--replica", os.path.join(self.work, replica), *args],
                                env=dict(os.environ, TANDEM_PASSWORD=PASSWORD, LANG="C.UTF-8"),
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise SystemExit(f"tandem-cli {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def signed_in(self, replica, user):
        self.cli(replica, "login", self.url, user)
        self.cli(replica, "sync")
        return replica

    def entities(self, replica):
        return json.loads(self.cli(replica, "dump"))["entities"]

    def shot(self, replica, page, out, size, language):
        result = subprocess.run([self.app_bin, "--replica", os.path.join(self.work, replica), "--size", size,
                                 "--lang", language, "--page", page, "--screenshot", out],
                                env=dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=self.display), capture_output=True, text=True,
                                timeout=180)
        if result.returncode != 0:
            raise SystemExit(f"tandem --page {page}: {result.returncode} {result.stderr.strip()}")


def by(entities, kind, field, value):
    return next(i for i, e in entities.items() if e["type"] == kind and e["fields"].get(field) == value)


def prepare(demo):
    """One replica per page, each signed in as the person the page is for."""
    li = demo.signed_in("li", "sales.li")
    org = demo.entities(li)
    dept = {e["fields"].get("code"): i for i, e in org.items() if e["type"] == "department"}
    plan = by(org, "plan", "title", "Q3 新品推广")
    channel = by(org, "task", "name", "渠道铺货执行")

    # Approvals (sales.head): a plan in review, and one whose approval went out of date.
    owner = demo.signed_in("owner", "mkt.head")
    review = demo.cli(owner, "new", "plan", 'title="渠道复盘计划"', f'lead_department="{dept["MKT"]}"',
                      f'participants.{dept["SALES"]}=true', 'status="draft"').strip()
    demo.cli(owner, "sync")  # the server makes the creator the plan's owner
    demo.cli(owner, "set", review, "goal_what", '"复盘首批铺货门店的动销情况"')
    demo.cli(owner, "set", review, "status", '"in_review"')
    stale = demo.cli(owner, "new", "plan", 'title="售后服务升级计划"', f'lead_department="{dept["MKT"]}"',
                     f'participants.{dept["SALES"]}=true', 'status="draft"').strip()
    demo.cli(owner, "sync")
    demo.cli(owner, "set", stale, "goal_what", '"首次解决率提升至90%"')
    demo.cli(owner, "set", stale, "status", '"in_review"')
    demo.cli(owner, "sync")
    head = demo.signed_in("head", "sales.head")
    demo.cli(head, "sign", stale, "approve", "--comment", "同意")
    demo.cli(head, "sync")
    demo.cli(owner, "sync")
    demo.cli(owner, "set", stale, "goal_what", '"首次解决率提升至95%"')
    demo.cli(owner, "sync")
    demo.cli(head, "sync")

    # Conflicts (mkt.head, Accountable for every task): two colleagues set one task's
    # percent while apart; the one synced last had written first, and lost.
    wang = demo.signed_in("wang", "sales.wang")
    li2 = demo.signed_in("li2", "sales.li")
    demo.cli(li2, "progress", channel, "35", "--note", "华东门店已铺货")
    demo.cli(wang, "progress", channel, "20", "--note", "按周报口径更新")
    demo.cli(wang, "sync")
    demo.cli(li2, "sync")
    demo.cli(owner, "sync")

    # Rejected (sales.li): progress logged offline on a SALES task, then sales.li moves
    # to PROD, which the task does not include: the server refuses it.
    demo.cli(li, "progress", channel, "40", "--note", "离线记录的进度")
    admin = demo.signed_in("admin", "admin")
    member = by(demo.entities(admin), "member", "username", "sales.li")
    demo.cli(admin, "set", member, "department", f'"{dept["PROD"]}"')
    demo.cli(admin, "sync")
    demo.cli(li, "sync")
    demo.cli(admin, "set", member, "department", f'"{dept["SALES"]}"')
    demo.cli(admin, "sync")
    demo.cli(li, "sync")

    hq = demo.signed_in("hq", "hq.zhao")
    fresh = "fresh"
    os.makedirs(os.path.join(demo.work, fresh), exist_ok=True)
    return [
        ("sign-in", fresh, "sign-in"),
        ("my-work", li, "my-work"),
        ("plans", li, "plans"),
        ("plan", owner, f"plan:{plan}"),
        ("approvals", head, "approvals"),
        ("conflicts", owner, "conflicts"),
        ("rejected", li, "rejected"),
        ("hq", hq, "hq"),
        ("settings", li, "settings"),
    ]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(root, "build"))
    parser.add_argument("--out", default=os.path.join(root, "docs", "screenshots"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tandem-shots-")
    demo = Demo(args.build, work)
    try:
        for name, replica, page in prepare(demo):
            for size in SIZES:
                for language in LANGUAGES:
                    out = os.path.join(args.out, f"{name}-{size}-{language}.png")
                    demo.shot(replica, page, out, size, language)
                    print(out)
    finally:
        demo.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
