import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// My work as sales.li, field sales: her late and due tasks with their warnings, and
// progress logged in three taps — saved on this device and queued for the server.
Item {
    id: root
    width: 390
    height: 844

    ProgressSheet { id: sheet }
    MyWorkPage { id: page; anchors.fill: parent; progressSheet: sheet }

    TestCase {
        name: "MyWorkPage"
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

        function test_showsMyTasksWithWarnings() {
            tryVerify(() => findChild(page, "taskCard_0") !== null, 20000, "a task card")
            const card = findChild(page, "taskCard_0")
            // The demo's 销售培训材料制作 (owner sales.li) is late: its card says so in red.
            verify(card.name.length > 0)
            verify(card.daysLeft < 0, "the first card is the latest task")
            verify(card.warnings.length > 0)
            compare(card.rag, "red")
            verify(card.canLog)
        }

        function test_logProgressInThreeTaps() {
            tryVerify(() => findChild(page, "taskCard_0") !== null, 20000)
            const card = findChild(page, "taskCard_0")
            const before = card.percent
            let taps = 0

            mouseClick(findChild(card, "logProgressButton")); ++taps
            tryVerify(() => sheet.opened)
            compare(sheet.percent, before)
            mouseClick(findChild(sheet.contentItem, "chipPlus10")); ++taps
            compare(sheet.percent, Math.min(100, before + 10))
            mouseClick(findChild(sheet.footer, "saveProgressButton")); ++taps

            tryVerify(() => !sheet.visible, 10000, "the sheet closes once saved")
            compare(taps, 3)
            // Saved on this device at once: the card shows the new percent (its row updated).
            const expected = Math.min(100, before + 10)
            tryCompare(findChild(page, "taskCard_0"), "percent", expected, 10000)
            // And it reaches the server: HQ's tandem-cli replica sees the task at the new percent.
            verify(TestBackend.syncAndSettle())
            compare(TestBackend.cli("hq", ["login", TestBackend.serverUrl, "hq.zhao"]), 0)
            compare(TestBackend.cli("hq", ["sync"]), 0)
            const task = JSON.parse(TestBackend.cliOutput("hq", ["--json", "show", card.taskId]))
            compare(task.fields.percent, expected)
        }
    }
}
