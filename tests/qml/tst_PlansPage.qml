import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// Plans as sales.li: the demo plan with its RAG, status, lead department, progress and
// her role; the search and the status, RAG and department filters narrow the list.
Item {
    width: 390
    height: 844

    PlansPage { id: page; anchors.fill: parent }

    TestCase {
        name: "PlansPage"
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
        function list() { return findChild(page, "planList") }
        function choose(boxName, value) {
            const box = findChild(page, boxName)
            const index = box.indexOfValue(value)
            verify(index >= 0, boxName + " offers " + value)
            box.currentIndex = index
            compare(box.currentValue, value)
        }

        function init() {
            tryVerify(() => findChild(page, "planCard_0") !== null, 20000, "a plan card")
        }
        function cleanup() {
            findChild(page, "planSearch").text = ""
            for (const box of ["statusFilter", "ragFilter", "departmentFilter"]) findChild(page, box).currentIndex = 0
            tryCompare(list(), "count", 1)
        }

        function test_listsTheDemoPlan() {
            compare(list().count, 1)
            const card = findChild(page, "planCard_0")
            compare(card.title, "Q3 新品推广")
            compare(card.planId, TestBackend.demoPlan())
            compare(card.rag, "red")
            compare(card.status, "In progress")
            compare(card.leadDepartment, "市场部")
            compare(card.myRole, "In a participating department")
            verify(card.progress > 0 && card.progress < 100, "progress " + card.progress)
            verify(card.lateTasks > 0, "the demo plan has late tasks")
        }

        function test_searchByTitleNarrows() {
            const search = findChild(page, "planSearch")
            mouseClick(search)
            keyClick(Qt.Key_Q)
            keyClick(Qt.Key_3)
            compare(search.text, "q3")  // typed in lower case: the search ignores case
            tryCompare(list(), "count", 1)
            search.text = "年度预算"
            tryCompare(list(), "count", 0)
            search.text = "新品"
            tryCompare(list(), "count", 1)
        }

        function test_filterByStatus() {
            choose("statusFilter", "draft")
            tryCompare(list(), "count", 0)
            choose("statusFilter", "in_progress")
            tryCompare(list(), "count", 1)
        }

        function test_filterByRag() {
            choose("ragFilter", "green")
            tryCompare(list(), "count", 0)
            choose("ragFilter", "red")
            tryCompare(list(), "count", 1)
        }

        function test_filterByDepartment() {
            const box = findChild(page, "departmentFilter")
            verify(box.indexOfValue("销售部") >= 0, "sales takes part")
            verify(box.indexOfValue("财务部") < 0, "finance does not take part, so it is not offered")
            choose("departmentFilter", "市场部")
            tryCompare(list(), "count", 1)
            choose("departmentFilter", "销售部")
            tryCompare(list(), "count", 1)
        }
    }
}
