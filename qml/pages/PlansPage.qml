import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Every plan I may read, with its RAG, status, lead department, progress and my role;
// searched by title and filtered by status, RAG and department. On a wide window it
// stays beside the open plan (master–detail).
Item {
    id: page
    property bool compact: false

    PlansModel { id: plans }
    PlanFilterModel {
        id: filtered
        sourceModel: plans
        search: search.text
        status: statusBox.currentValue ?? ""
        rag: ragBox.currentValue ?? ""
        department: departmentBox.currentValue ?? ""
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        PageHeader {
            Layout.fillWidth: true
            visible: !page.compact
            title: qsTr("Plans")
            subtitle: qsTr("%n plan(s)", "", filtered.count)
        }
        TextField {
            id: search
            objectName: "planSearch"
            Layout.fillWidth: true
            placeholderText: qsTr("Search plans by title")
            Accessible.name: qsTr("Search plans")
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacingS
            ComboBox {
                id: statusBox
                objectName: "statusFilter"
                textRole: "text"
                valueRole: "value"
                implicitContentWidthPolicy: ComboBox.WidestText
                Accessible.name: qsTr("Filter by status")
                model: [
                    { "value": "", "text": qsTr("Any status") },
                    { "value": "draft", "text": qsTr("Draft") },
                    { "value": "in_review", "text": qsTr("In review") },
                    { "value": "approved", "text": qsTr("Approved") },
                    { "value": "in_progress", "text": qsTr("In progress") },
                    { "value": "done", "text": qsTr("Done") },
                    { "value": "archived", "text": qsTr("Archived") }
                ]
            }
            ComboBox {
                id: ragBox
                objectName: "ragFilter"
                textRole: "text"
                valueRole: "value"
                implicitContentWidthPolicy: ComboBox.WidestText
                Accessible.name: qsTr("Filter by RAG")
                model: [
                    { "value": "", "text": qsTr("Any RAG") },
                    { "value": "red", "text": qsTr("Red") },
                    { "value": "yellow", "text": qsTr("Yellow") },
                    { "value": "green", "text": qsTr("Green") }
                ]
            }
            ComboBox {
                id: departmentBox
                objectName: "departmentFilter"
                textRole: "text"
                valueRole: "value"
                implicitContentWidthPolicy: ComboBox.WidestText
                Accessible.name: qsTr("Filter by department")
                model: [{ "value": "", "text": qsTr("Any department") }].concat(
                           plans.departments.map(d => ({ "value": d, "text": d })))
            }
        }

        ListView {
            id: list
            objectName: "planList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacingM
            model: filtered
            boundsBehavior: Flickable.DragOverBounds
            onDragEnded: if (contentY < -72) AppController.syncNow()
            ScrollBar.vertical: ScrollBar { }

            delegate: Card {
                id: planCard
                required property int index
                required property string planId
                required property string title
                required property string status
                required property string leadDepartment
                required property string rag
                required property int warnings
                required property int progress
                required property string myRole
                required property int lateTasks
                objectName: "planCard_" + index
                width: ListView.view.width
                highlighted: AppController.page === "plan" && AppController.planId === planId

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingM
                    Label {
                        Layout.fillWidth: true
                        text: planCard.title
                        font.pixelSize: Theme.fontSubtitle
                        font.bold: true
                        wrapMode: Text.WordWrap
                    }
                    RagBadge { rag: planCard.rag }
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS
                    StatusChip { text: planCard.status; tint: Theme.primaryTint; textColor: Theme.primary }
                    StatusChip { text: planCard.leadDepartment.length > 0 ? qsTr("Led by %1").arg(planCard.leadDepartment) : "" }
                    StatusChip { text: planCard.myRole }
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingM
                    ProgressBar {
                        Layout.fillWidth: true
                        from: 0; to: 100
                        value: planCard.progress
                        Accessible.name: qsTr("Progress %1").arg(Theme.formatPercent(planCard.progress))
                    }
                    Label { text: Theme.formatPercent(planCard.progress); font.bold: true }
                }
                Label {
                    Layout.fillWidth: true
                    visible: planCard.warnings > 0 || planCard.lateTasks > 0
                    text: [planCard.warnings > 0 ? qsTr("%n warning(s)", "", planCard.warnings) : "",
                           planCard.lateTasks > 0 ? qsTr("%n late task(s)", "", planCard.lateTasks) : ""]
                          .filter(s => s.length > 0).join(" · ")
                    color: planCard.rag === "red" ? Theme.red : Theme.textSecondary
                    font.pixelSize: Theme.fontCaption
                    wrapMode: Text.WordWrap
                }
                TapHandler {
                    onTapped: AppController.openPlan(planCard.planId)
                }
                Accessible.role: Accessible.Button
                Accessible.name: qsTr("Open plan %1").arg(title)
                Accessible.onPressAction: AppController.openPlan(planId)
            }

            EmptyState {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXL
                visible: plans.loaded && filtered.count === 0
                icon: "plans"
                title: plans.count === 0 ? qsTr("No plans yet") : qsTr("No plan matches")
                text: plans.count === 0 ? qsTr("Plans your departments take part in appear here after a sync.")
                                        : qsTr("Change the search or the filters.")
            }
        }
    }
}
