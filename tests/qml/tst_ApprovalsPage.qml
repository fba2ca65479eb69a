import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// Approvals as sales.head (李强), head of a participating department: a change request
// the plan's owner (mkt.head, through tandem-cli) put in review waits for his signature.
// He signs it offline, giving the password again: a wrong one is refused with a message,
// the right one signs, checked against the verifier on this device; the sign-off waits
// to go out and reaches the server once it is back. When the owner then changes the
// request, his approval goes stale and the page shows what changed.
Item {
    width: 390
    height: 844

    ApprovalsModel { id: approvals }
    SignOffSheet { id: sheet }
    ApprovalsPage { id: page; anchors.fill: parent; model: approvals; signOffSheet: sheet }

    TestCase {
        name: "ApprovalsPage"
        when: windowShown
        property string change

        function findChild(item, objectName) {
            if (!item) return null
            if (item.objectName === objectName) return item
            const children = item.children || []
            for (let i = 0; i < children.length; ++i) {
                const found = findChild(children[i], objectName)
                if (found) return found
            }
            if (item.contentItem && item.contentItem !== item) return findChild(item.contentItem, objectName)
            return null
        }
        /// The row of `subjectId` (a row's key is the subject and the department signed for).
        function rowOf(subjectId) {
            for (let i = 0; i < approvals.count; ++i)
                if (approvals.get(i).subjectId === subjectId) return i
            return -1
        }
        function card(subjectId) {
            const row = rowOf(subjectId)
            if (row < 0) return null
            return findChild(page, "approvalCard_" + row)
        }
        function owner(args) {
            const status = TestBackend.cli("owner", args)
            compare(status, 0, "tandem-cli " + args.join(" "))
        }

        function initTestCase() {
            owner(["login", TestBackend.serverUrl, "mkt.head"])
            owner(["sync"])
            const filed = JSON.parse(TestBackend.cliOutput("owner", [
                "--json", "new", "change_request", "plan=\"" + TestBackend.demoPlan() + "\"",
                "title=\"发布会延期一周\"", "reason=\"渠道反馈需要调整计划\"", "proposal=\"发布会推迟到下周三\""]))
            change = filed.id
            verify(change.length > 0)
            owner(["set", change, "status", "\"in_review\""])
            owner(["sync"])
            verify(TestBackend.syncAndSettle())
        }

        function test_1_theRequestWaitsForHisSignature() {
            tryVerify(() => card(change) !== null, 20000, "the change request is listed")
            const item = card(change)
            compare(item.kind, "change_request")
            compare(item.title, "发布会延期一周")
            compare(item.planTitle, "Q3 新品推广")
            compare(item.department, "销售部")
            verify(item.canSign, item.cannotSignReason)
            verify(!item.stale)
            verify(findChild(item, "approveButton").enabled)
        }

        function test_2_signsOfflineWithThePasswordAndItSyncsLater() {
            compare(TestBackend.stopServer(), 0)
            AppController.syncNow()
            tryCompare(AppController.sync, "state", SyncStatus.Offline, 60000)

            mouseClick(findChild(card(change), "approveButton"))
            tryVerify(() => sheet.opened)
            compare(sheet.subjectId, change)
            mouseClick(findChild(sheet.contentItem, "meaning_acknowledge"))
            compare(sheet.meaning, "acknowledge")
            mouseClick(findChild(sheet.contentItem, "meaning_approve"))
            compare(sheet.meaning, "approve")
            findChild(sheet.contentItem, "signOffComment").text = "同意延期"
            const password = findChild(sheet.contentItem, "signOffPassword")
            const sign = findChild(sheet.footer, "confirmSignOffButton")
            verify(!sign.enabled, "no signing without a password")

            // A wrong password: refused on this device, with a message; nothing signed.
            password.text = "not-the-password"
            mouseClick(sign)
            tryVerify(() => !sheet.saving, 20000)
            verify(sheet.opened)
            compare(sheet.error, "Wrong password: nothing was signed.")
            verify(findChild(sheet.contentItem, "signOffError").visible)
            compare(password.text, "")
            compare(AppController.sync.pending, 0)
            verify(card(change) !== null)

            // The right one, still offline: signed, and waiting to go out.
            password.text = "tandem-demo"
            mouseClick(sign)
            tryVerify(() => !sheet.visible, 20000, "the sheet closes once signed")
            compare(sheet.error, "")
            tryVerify(() => AppController.sync.pending > 0, 10000)
            tryVerify(() => rowOf(change) < 0, 10000, "no longer waiting for him")
            verify(!AppController.sync.online, "still offline")  // (a retry may be under way)

            // Back online: it reaches the server, where the owner sees it.
            verify(TestBackend.startServer())
            verify(TestBackend.syncAndSettle())
            compare(AppController.sync.pending, 0)
            compare(AppController.sync.rejected, 0)
            owner(["sync"])
            const shown = TestBackend.cliOutput("owner", ["show", change])
            const line = shown.split("\n").filter(l => l.indexOf(TestBackend.memberId("sales.head")) >= 0)
            compare(line.length, 1, shown)
            verify(line[0].indexOf("approve") >= 0, line[0])
            verify(line[0].indexOf("(stale)") < 0, line[0])
        }

        function test_3_aStaleApprovalShowsWhatChanged() {
            // The owner changes the request he approved: his approval no longer holds.
            owner(["set", change, "proposal", "\"发布会推迟到下周五\""])
            owner(["sync"])
            verify(TestBackend.syncAndSettle())
            tryVerify(() => card(change) !== null, 20000, "waiting for him again")
            const item = card(change)
            verify(item.stale)
            compare(item.lastMeaning.length > 0, true)
            verify(item.changes.length > 0, "what changed")
            const proposal = item.changes.filter(c => c.after === "发布会推迟到下周五")
            compare(proposal.length, 1, JSON.stringify(item.changes))
            compare(proposal[0].before, "发布会推迟到下周三")
        }
    }
}
