import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// Conflicts as sales.li, owner of the demo task 销售培训材料制作: she sets its percent
// offline; meanwhile sales.wang (tandem-cli, another replica) sets it too and syncs
// first, so his later write wins and hers is overwritten. The page shows both values,
// who wrote each and when; one tap restores hers — a new write that reaches the server.
Item {
    width: 390
    height: 844

    ConflictsModel { id: conflicts }
    PlanModel { id: plan }
    ConflictsPage { id: page; anchors.fill: parent; model: conflicts }

    TestCase {
        name: "ConflictsPage"
        when: windowShown
        property string task

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
        function wang(args) {
            compare(TestBackend.cli("wang", args), 0, "tandem-cli " + args.join(" "))
        }
        function serverPercent() {
            wang(["sync"])
            return JSON.parse(TestBackend.cliOutput("wang", ["--json", "show", task])).fields.percent
        }

        function initTestCase() {
            plan.planId = TestBackend.demoPlan()
            tryVerify(() => plan.loaded, 20000)
            for (let i = 0; i < plan.tasks.count; ++i)
                if (plan.tasks.get(i).name === "销售培训材料制作") task = plan.tasks.get(i).taskId
            verify(task.length > 0)
            wang(["login", TestBackend.serverUrl, "sales.wang"])
            wang(["sync"])
        }

        function test_1_aConcurrentOverwriteIsListedWithBothValues() {
            compare(conflicts.count, 0)
            verify(findChild(page, "conflictList") !== null)
            // The app holds its own syncing, so the order of the two pushes is the test's.
            TestBackend.setWatching(false)
            verify(TestBackend.settle())
            compare(TestBackend.stopServer(), 0)
            AppController.updateTask(task, 75, "", "-", "")
            tryVerify(() => AppController.sync.pending > 0, 10000, "her edit is saved and waits")
            verify(TestBackend.startServer())
            wang(["progress", task, "65", "--note", "样机到货，开始录制"])
            wang(["sync"])
            compare(serverPercent(), 65)

            verify(TestBackend.syncAndSettle())
            tryVerify(() => findChild(page, "conflictCard_0") !== null, 20000, "the conflict is listed")
            const card = findChild(page, "conflictCard_0")
            compare(card.entityId, task)
            compare(card.entityName, "销售培训材料制作")
            compare(card.field, "percent")
            compare(card.lostValue, "75")
            compare(card.lostBy, "李娜")
            compare(card.currentValue, "65")
            compare(card.currentBy, "王磊")
            verify(card.lostAt instanceof Date && !isNaN(card.lostAt), "when hers was written")
            verify(card.currentAt instanceof Date && !isNaN(card.currentAt), "when his was written")
            verify(card.currentAt > card.lostAt, "his is the later write")
            verify(card.canRestore, card.cannotRestoreReason)
            verify(findChild(card, "restoreButton").enabled)
        }

        function test_2_oneTapRestoresTheLostValue() {
            const card = findChild(page, "conflictCard_0")
            verify(card)
            let taps = 0
            mouseClick(findChild(card, "restoreButton")); ++taps
            compare(taps, 1)
            // Saved here at once (the conflict is settled: both sides agree again) …
            tryCompare(conflicts, "count", 0, 10000)
            tryVerify(() => plan.tasks.get(plan.tasks.indexOf(task)).percent === 75, 10000)
            // … and a new write that reaches the server.
            TestBackend.setWatching(true)
            verify(TestBackend.syncAndSettle())
            compare(AppController.sync.pending, 0)
            compare(AppController.sync.rejected, 0)
            compare(serverPercent(), 75)
        }
    }
}
