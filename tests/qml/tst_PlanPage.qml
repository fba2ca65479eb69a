import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// The demo plan as sales.li: the overview, the tasks in WBS order with owner, due date,
// percent, status and warnings, milestones, risks with RAG, the progress timeline and
// the sign-offs. A SALES task she may update saves and queues; a SVC task shows no
// enabled edit control, and says why.
Item {
    width: 390
    height: 844

    TaskEditSheet { id: sheet }
    PlanPage { id: page; anchors.fill: parent; taskSheet: sheet }

    TestCase {
        name: "PlanPage"
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
        function openTab(index) {
            const tab = findChild(page, "planTab_" + index)
            verify(tab, "tab " + index)
            // On a phone the later tabs are scrolled out of the bar: select them as a swipe would.
            findChild(page, "planTabs").setCurrentIndex(index)
            compare(findChild(page, "planTabs").currentIndex, index)
            verify(tab.checked)
        }
        /// The delegate of `taskId` in the task list, scrolled into view.
        function taskRow(taskId) {
            openTab(1)
            const list = findChild(page, "taskList")
            const row = list.model.indexOf(taskId)
            verify(row >= 0, "task " + taskId + " is listed")
            list.positionViewAtIndex(row, ListView.Beginning)
            tryVerify(() => list.itemAtIndex(row) !== null)
            const item = list.itemAtIndex(row)
            compare(item.taskId, taskId)
            return item
        }

        function taskNamed(name) {
            const model = findChild(page, "taskList").model
            for (let i = 0; i < model.count; ++i)
                if (model.get(i).name === name) return model.get(i).taskId
            fail("no task " + name)
        }

        function initTestCase() {
            page.planId = TestBackend.demoPlan()
            verify(page.planId.length > 0)
            tryCompare(page, "title", "Q3 新品推广", 20000)
        }

        function test_1_overview() {
            openTab(0)
            const o = page.o
            compare(o.goalWhat, "3个月内实现新品销售额500万元")
            compare(o.leadDepartment, "市场部")
            compare(o.participants.length, 3)
            compare(o.escalationContact, "赵总")
            compare(o.rag, "red")
            compare(o.myRole, "member")
            verify(o.warnings.length > 0, "the overview lists the plan's warnings")
        }

        function test_2_tasksInWbsOrder() {
            openTab(1)
            const list = findChild(page, "taskList")
            tryVerify(() => list.count >= 7)
            for (let i = 0; i < list.count; ++i) compare(list.model.get(i).wbs, String(i + 1))
            const first = list.itemAtIndex(0)
            verify(first)
            compare(first.name, "推广方案")
            verify(first.owner.length > 0, "owner shown")
            verify(first.due instanceof Date && !isNaN(first.due), "due date")
            verify(first.status.length > 0)
            // The late training task (sales.li's) carries its warning.
            const late = taskRow(TestBackend.taskLedBy("SALES"))
            verify(late.percent >= 0 && late.percent <= 100)
            let warned = 0
            for (let i = 0; i < list.count; ++i) warned += list.model.get(i).warnings.length > 0 ? 1 : 0
            verify(warned > 0, "some task carries a warning")
        }

        function test_3_milestonesRisksProgressSignoffs() {
            openTab(2)
            tryVerify(() => findChild(page, "milestoneList").count >= 1)
            openTab(3)
            const risks = findChild(page, "riskList")
            tryVerify(() => risks.count >= 1)
            const rags = []
            for (let i = 0; i < risks.count; ++i) rags.push(risks.model.get(i).rag)
            verify(rags.every(r => ["red", "yellow", "green"].indexOf(r) >= 0), rags.join())
            openTab(4)
            const progress = findChild(page, "progressList")
            tryVerify(() => progress.count >= 1)
            verify(progress.model.get(0).author.length > 0)
            openTab(5)
            const signoffs = findChild(page, "signoffList")
            tryVerify(() => signoffs.count >= 4)
            verify(signoffs.model.get(0).signer.length > 0)
        }

        function test_4_aTaskSheMayNotUpdateHasNoEnabledEditControl() {
            // Led by SVC with only PROD collaborating (demo_seed.cpp): not hers to update.
            const row = taskRow(taskNamed("售后响应手册制定"))
            verify(!row.canUpdate)
            const edit = findChild(row, "editTaskButton")
            verify(edit)
            verify(!edit.enabled, "no enabled edit control")
            const reason = findChild(row, "cannotUpdateReason")
            verify(reason, "the reason is on the row")
            verify(reason.visible)
            compare(reason.text, "only members of the task's lead and collaborating departments log its progress")
            mouseClick(edit)
            verify(!sheet.opened)
        }

        function test_5_updatingATaskSavesAndQueuesIt() {
            const taskId = TestBackend.taskLedBy("SALES")
            const row = taskRow(taskId)
            verify(row.canUpdate)
            verify(!findChild(row, "cannotUpdateReason").visible)
            const before = row.percent
            const target = before >= 90 ? 50 : before - before % 10 + 10
            mouseClick(findChild(row, "editTaskButton"))
            tryVerify(() => sheet.opened)
            compare(sheet.percent, before)
            const slider = findChild(sheet.contentItem, "taskPercentSlider")
            slider.value = target
            slider.moved()
            compare(sheet.percent, target)
            const status = findChild(sheet.contentItem, "taskStatusBox")
            status.currentIndex = sheet.statuses.indexOf("delayed")
            mouseClick(findChild(sheet.footer, "saveTaskButton"))
            tryVerify(() => !sheet.visible, 10000, "the sheet closes once saved")
            compare(sheet.error, "")
            // Saved on this device: the row shows it at once …
            tryCompare(taskRow(taskId), "percent", target, 10000)
            tryCompare(taskRow(taskId), "statusKey", "delayed", 10000)
            // … and it reaches the server.
            verify(TestBackend.syncAndSettle())
            compare(AppController.sync.pending, 0)
            compare(TestBackend.cli("hq", ["login", TestBackend.serverUrl, "hq.zhao"]), 0)
            compare(TestBackend.cli("hq", ["sync"]), 0)
            const task = JSON.parse(TestBackend.cliOutput("hq", ["--json", "show", taskId]))
            compare(task.fields.percent, target)
            compare(task.fields.status, "delayed")
        }
    }
}
