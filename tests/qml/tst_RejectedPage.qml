import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// Rejected edits as sales.li: offline she sets the percent of her SALES task — allowed
// as far as her replica knows — while the admin (tandem-cli) moves her to SVC, which
// does not work on that task. The server refuses her edit when it arrives: the page
// shows what she wrote, the server's code and reason, and the value the field has now.
Item {
    width: 390
    height: 844

    PlanModel { id: plan }
    RejectedPage { id: page; anchors.fill: parent }
    SyncBar { id: bar; anchors.bottom: parent.bottom; width: parent.width }

    TestCase {
        name: "RejectedPage"
        when: windowShown

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
        function admin(args) {
            compare(TestBackend.cli("admin", args), 0, "tandem-cli " + args.join(" "))
        }

        function test_aRefusedEditShowsWithItsReasonAndTheCurrentValue() {
            plan.planId = TestBackend.demoPlan()
            tryVerify(() => plan.loaded, 20000)
            let task = "", before = -1
            for (let i = 0; i < plan.tasks.count; ++i)
                if (plan.tasks.get(i).name === "销售培训材料制作") {
                    task = plan.tasks.get(i).taskId
                    before = plan.tasks.get(i).percent
                }
            verify(task.length > 0)
            verify(before !== 37)
            admin(["login", TestBackend.serverUrl, "admin"])
            admin(["sync"])
            tryVerify(() => findChild(page, "rejectedList") !== null)
            compare(findChild(page, "rejectedList").count, 0)
            verify(!findChild(bar, "rejectedLink").visible)

            // Offline, and the app holds its syncing until the admin's move is in.
            TestBackend.setWatching(false)
            verify(TestBackend.settle())
            compare(TestBackend.stopServer(), 0)
            AppController.updateTask(task, 37, "", "-", "")
            tryVerify(() => AppController.sync.pending > 0, 10000, "allowed here, and waiting to go out")
            tryVerify(() => plan.tasks.get(plan.tasks.indexOf(task)).percent === 37, 10000)
            verify(TestBackend.startServer())
            admin(["set", TestBackend.memberId("sales.li"), "department", "\"" + TestBackend.departmentId("SVC") + "\""])
            admin(["sync"])

            TestBackend.setWatching(true)
            verify(TestBackend.syncAndSettle())
            compare(AppController.sync.pending, 0)
            // The percent and the progress entry that carries it: two refused records.
            compare(AppController.sync.rejected, 2)
            const list = findChild(page, "rejectedList")
            tryCompare(list, "count", AppController.sync.rejected, 20000)
            let row = -1
            const rows = []
            for (let i = 0; i < list.count; ++i) {
                const r = list.model.get(i)
                rows.push(JSON.stringify(r))
                // The progress entry's refused fields are named by the task too; the
                // task's own row is the one of kind Task.
                if (r.entityName === "销售培训材料制作" && r.kindLabel === "Task") row = i
            }
            verify(row >= 0, rows.join("\n"))
            list.positionViewAtIndex(row, ListView.Beginning)
            tryVerify(() => list.itemAtIndex(row) !== null)
            const card = list.itemAtIndex(row)
            compare(card.objectName, "rejectedCard_" + row)
            compare(card.entityName, "销售培训材料制作")
            compare(card.planTitle, "Q3 新品推广")
            compare(card.code, "forbidden")
            verify(card.message.indexOf("lead and collaborating departments") >= 0, card.message)
            verify(card.value.indexOf("37") >= 0, card.value)
            verify(card.currentValue.indexOf(String(before)) >= 0, card.currentValue)
            verify(card.rejectedAt instanceof Date && !isNaN(card.rejectedAt))
            verify(!card.notKept)
            // The progress report: one card, not kept anywhere.
            const other = 1 - row
            compare(list.model.get(other).kindLabel, "Progress report")
            verify(list.model.get(other).notKept)
            // Rolled back: the task shows the server's value again.
            tryVerify(() => plan.tasks.get(plan.tasks.indexOf(task)).percent === before, 10000)
            // And the sync bar says so, linking here.
            verify(findChild(bar, "rejectedLink").visible)
        }
    }
}
