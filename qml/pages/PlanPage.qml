import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// One plan: the overview (background, SMART goal, scope, departments, communication
// and escalation rules, warnings), its tasks in WBS order (editable where the rules
// let me), milestones, risks with RAG, the progress timeline and the sign-offs.
Item {
    id: page
    property alias planId: plan.planId
    property var taskSheet
    readonly property string title: plan.overview.title ?? ""
    readonly property bool narrow: width < Theme.wideBreakpoint
    readonly property var o: plan.overview

    PlanModel { id: plan; onPlanIdChanged: warningCard.showAll = false }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        PageHeader {
            Layout.fillWidth: true
            showBack: page.narrow && AppController.canGoBack
            title: page.title
            subtitle: plan.loaded ? qsTr("Led by %1 · owner %2").arg(page.o.leadDepartment ?? "").arg(page.o.owner ?? "") : ""
            RagBadge { rag: page.o.rag ?? "green"; visible: plan.loaded }
            StatusChip { text: page.o.status ?? ""; tint: Theme.primaryTint; textColor: Theme.primary }
        }
        Label {
            visible: plan.error.length > 0
            text: plan.error
            color: Theme.red
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
        }
        TabBar {
            id: tabs
            objectName: "planTabs"
            Layout.fillWidth: true
            Repeater {
                // A fixed model, so only the labels follow the task count: an array model
                // holding the count was rebuilt, with every tab, at each row that came in.
                model: 6
                delegate: TabButton {
                    required property int index
                    readonly property string title: [qsTr("Overview"), qsTr("Tasks (%1)").arg(plan.tasks.count),
                                                     qsTr("Milestones"), qsTr("Risks"), qsTr("Progress"),
                                                     qsTr("Sign-offs")][index]
                    objectName: "planTab_" + index
                    text: title
                    width: implicitWidth
                    Accessible.name: title
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            // ---- overview ----
            ScrollView {
                id: overviewScroll
                clip: true
                contentWidth: availableWidth
                ColumnLayout {
                    width: overviewScroll.availableWidth
                    spacing: Theme.spacingM
                    Card {
                        id: warningCard
                        // The worst few; all of them only when asked (a plan of
                        // 2,000 late tasks has 2,000 warnings).
                        property bool showAll: false
                        readonly property int count: page.o.warningCount ?? 0
                        Layout.fillWidth: true
                        visible: count > 0
                        SectionTitle { text: qsTr("Warnings (风险预警)") }
                        WarningList {
                            Layout.fillWidth: true
                            warnings: warningCard.showAll ? plan.allWarnings : (page.o.warnings ?? [])
                        }
                        Button {
                            objectName: "allWarningsButton"
                            visible: !warningCard.showAll && warningCard.count > (page.o.warnings ?? []).length
                            flat: true
                            text: qsTr("Show all %n warning(s)", "", warningCard.count)
                            Accessible.name: text
                            onClicked: warningCard.showAll = true
                        }
                    }
                    Card {
                        Layout.fillWidth: true
                        SectionTitle { text: qsTr("Goal (SMART)") }
                        FieldRow { label: qsTr("What"); value: page.o.goalWhat ?? "" }
                        GridLayout {
                            Layout.fillWidth: true
                            columns: page.narrow ? 1 : 3
                            FieldRow { label: qsTr("Measure"); value: page.o.goalMetric ?? "" }
                            FieldRow { label: qsTr("Target"); value: page.o.goalTarget ?? "" }
                            FieldRow { label: qsTr("Deadline"); value: Theme.formatDate(page.o.goalDeadline) }
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            ProgressBar { Layout.fillWidth: true; from: 0; to: 100; value: page.o.progress ?? 0 }
                            Label { text: qsTr("%1 done on average").arg(Theme.formatPercent(page.o.progress ?? 0)) }
                        }
                    }
                    Card {
                        Layout.fillWidth: true
                        SectionTitle { text: qsTr("Background and scope") }
                        FieldRow { label: qsTr("Background"); value: page.o.background ?? "" }
                        FieldRow { label: qsTr("In scope"); value: page.o.scopeIn ?? "" }
                        FieldRow { label: qsTr("Out of scope"); value: page.o.scopeOut ?? "" }
                        FieldRow {
                            label: qsTr("Dates")
                            value: (page.o.start || page.o.end) ? qsTr("%1 to %2").arg(Theme.formatDate(page.o.start)).arg(Theme.formatDate(page.o.end)) : ""
                        }
                    }
                    Card {
                        Layout.fillWidth: true
                        SectionTitle { text: qsTr("Departments") }
                        FieldRow { label: qsTr("Lead department"); value: page.o.leadDepartment ?? "" }
                        FieldRow { label: qsTr("Participating departments"); value: (page.o.participants ?? []).join("、") }
                        Repeater {
                            model: page.o.subgoals ?? []
                            delegate: FieldRow {
                                required property var modelData
                                label: qsTr("Goal of %1").arg(modelData.department)
                                value: modelData.goal
                            }
                        }
                    }
                    Card {
                        Layout.fillWidth: true
                        SectionTitle { text: qsTr("Communication and escalation") }
                        FieldRow { label: qsTr("Meetings"); value: page.o.meetingCadence ?? "" }
                        FieldRow { label: qsTr("Channels"); value: page.o.channels ?? "" }
                        FieldRow {
                            label: qsTr("Escalation")
                            value: page.o.escalationContact
                                   ? qsTr("Unresolved problems go to %1 after %n hour(s)", "", page.o.escalationHours ?? 48).arg(page.o.escalationContact)
                                   : ""
                        }
                    }
                }
            }

            // ---- tasks ----
            ListView {
                id: taskList
                objectName: "taskList"
                clip: true
                spacing: Theme.spacingS
                model: plan.tasks
                reuseItems: true
                ScrollBar.vertical: ScrollBar { }
                delegate: Card {
                    id: taskRow
                    required property int index
                    required property string taskId
                    required property string wbs
                    required property int depth
                    required property string name
                    required property string owner
                    required property string leadDepartment
                    required property var due
                    required property int percent
                    required property string status
                    required property string statusKey
                    required property string rag
                    required property var warnings
                    required property bool canUpdate
                    required property string cannotUpdateReason
                    required property var actualFinish
                    objectName: "taskRow_" + index
                    width: ListView.view.width - depth * Theme.spacingL
                    x: depth * Theme.spacingL
                    padding: Theme.spacingM
                    spacing: Theme.spacingS

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacingM
                        Label { text: taskRow.wbs; color: Theme.textTertiary; font.bold: true }
                        Label {
                            Layout.fillWidth: true
                            text: taskRow.name
                            font.bold: true
                            wrapMode: Text.WordWrap
                        }
                        RagBadge { rag: taskRow.rag; visible: taskRow.rag !== "green"; compact: page.narrow }
                        StatusChip { text: taskRow.status }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: [taskRow.owner, taskRow.leadDepartment,
                               taskRow.due && !isNaN(taskRow.due) ? qsTr("due %1").arg(Theme.formatDate(taskRow.due)) : ""]
                              .filter(s => s.length > 0).join(" · ")
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontCaption
                        wrapMode: Text.WordWrap
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        ProgressBar { Layout.fillWidth: true; from: 0; to: 100; value: taskRow.percent }
                        Label { text: Theme.formatPercent(taskRow.percent) }
                        ToolButton {
                            objectName: "editTaskButton"
                            icon.source: Theme.icon("edit")
                            enabled: taskRow.canUpdate
                            Accessible.name: qsTr("Update %1").arg(taskRow.name)
                            ToolTip.visible: hovered
                            ToolTip.text: taskRow.canUpdate ? qsTr("Update progress, status or finish date") : taskRow.cannotUpdateReason
                            onClicked: page.taskSheet.openFor({ "taskId": taskRow.taskId, "name": taskRow.name,
                                                                "percent": taskRow.percent, "statusKey": taskRow.statusKey,
                                                                "actualFinish": taskRow.actualFinish })
                        }
                    }
                    // A disabled button gets no hover, so its tooltip never shows: the
                    // reason it is disabled has to be on the row itself.
                    Label {
                        objectName: "cannotUpdateReason"
                        Layout.fillWidth: true
                        visible: !taskRow.canUpdate && taskRow.cannotUpdateReason.length > 0
                        text: taskRow.cannotUpdateReason
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontCaption
                        wrapMode: Text.WordWrap
                    }
                    WarningList {
                        Layout.fillWidth: true
                        warnings: taskRow.warnings
                        rag: taskRow.rag === "green" ? "yellow" : taskRow.rag
                    }
                }
            }

            // ---- milestones ----
            ListView {
                objectName: "milestoneList"
                clip: true
                spacing: Theme.spacingS
                model: plan.milestones
                delegate: Card {
                    id: milestone
                    required property string name
                    required property var due
                    required property string status
                    required property string statusKey
                    required property var reachedOn
                    required property string deliverable
                    width: ListView.view.width
                    padding: Theme.spacingM
                    RowLayout {
                        Layout.fillWidth: true
                        Label { Layout.fillWidth: true; text: milestone.name; font.bold: true; wrapMode: Text.WordWrap }
                        StatusChip {
                            text: milestone.status
                            tint: milestone.statusKey === "reached" ? Theme.greenTint : milestone.statusKey === "missed" ? Theme.redTint : Theme.offlineTint
                            textColor: milestone.statusKey === "reached" ? Theme.green : milestone.statusKey === "missed" ? Theme.red : Theme.textSecondary
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Due %1").arg(Theme.formatDate(milestone.due))
                              + (milestone.reachedOn && !isNaN(milestone.reachedOn) ? " · " + qsTr("reached %1").arg(Theme.formatDate(milestone.reachedOn)) : "")
                        color: Theme.textSecondary
                    }
                    Label { Layout.fillWidth: true; text: milestone.deliverable; wrapMode: Text.WordWrap; visible: text.length > 0 }
                }
                EmptyState { anchors.centerIn: parent; width: parent.width; visible: parent.count === 0 && plan.loaded; title: qsTr("No milestones") }
            }

            // ---- risks ----
            ListView {
                objectName: "riskList"
                clip: true
                spacing: Theme.spacingS
                model: plan.risks
                delegate: Card {
                    id: risk
                    required property string title
                    required property string impact
                    required property string probability
                    required property string ownerDepartment
                    required property string mitigation
                    required property string trigger
                    required property string status
                    required property string rag
                    width: ListView.view.width
                    padding: Theme.spacingM
                    RowLayout {
                        Layout.fillWidth: true
                        Label { Layout.fillWidth: true; text: risk.title; font.bold: true; wrapMode: Text.WordWrap }
                        RagBadge { rag: risk.rag }
                        StatusChip { text: risk.status }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Impact %1 · probability %2 · %3").arg(risk.impact).arg(risk.probability).arg(risk.ownerDepartment)
                        color: Theme.textSecondary
                        wrapMode: Text.WordWrap
                    }
                    FieldRow { label: qsTr("Trigger"); value: risk.trigger }
                    FieldRow { label: qsTr("Mitigation"); value: risk.mitigation }
                }
                EmptyState { anchors.centerIn: parent; width: parent.width; visible: parent.count === 0 && plan.loaded; title: qsTr("No risks recorded") }
            }

            // ---- progress timeline ----
            ListView {
                objectName: "progressList"
                clip: true
                spacing: Theme.spacingS
                model: plan.progress
                delegate: Card {
                    id: entry
                    required property string taskName
                    required property string author
                    required property int percent
                    required property string note
                    required property string problem
                    required property string solution
                    required property string nextStep
                    required property var reportedAt
                    width: ListView.view.width
                    padding: Theme.spacingM
                    RowLayout {
                        Layout.fillWidth: true
                        Label { Layout.fillWidth: true; text: entry.taskName; font.bold: true; wrapMode: Text.WordWrap }
                        Label { text: Theme.formatPercent(entry.percent); font.bold: true; color: Theme.primary }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: entry.author + " · " + Theme.formatDateTime(entry.reportedAt)
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontCaption
                    }
                    FieldRow { label: qsTr("Note"); value: entry.note }
                    FieldRow { label: qsTr("Problem (问题反馈)"); value: entry.problem }
                    FieldRow { label: qsTr("Solution"); value: entry.solution }
                    FieldRow { label: qsTr("Next step"); value: entry.nextStep }
                }
                EmptyState { anchors.centerIn: parent; width: parent.width; visible: parent.count === 0 && plan.loaded; title: qsTr("No progress reported yet") }
            }

            // ---- sign-offs ----
            ListView {
                objectName: "signoffList"
                clip: true
                spacing: Theme.spacingS
                model: plan.signoffs
                delegate: Card {
                    id: signoff
                    required property string signer
                    required property string department
                    required property string meaning
                    required property string comment
                    required property var signedAt
                    required property bool stale
                    required property string subject
                    width: ListView.view.width
                    padding: Theme.spacingM
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: qsTr("%1 (%2): %3").arg(signoff.signer).arg(signoff.department).arg(signoff.meaning)
                            font.bold: true
                            wrapMode: Text.WordWrap
                        }
                        StatusChip {
                            text: signoff.stale ? qsTr("Out of date") : qsTr("Current")
                            tint: signoff.stale ? Theme.yellowTint : Theme.greenTint
                            textColor: signoff.stale ? Theme.yellow : Theme.green
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: signoff.subject + " · " + Theme.formatDateTime(signoff.signedAt)
                        color: Theme.textSecondary
                        font.pixelSize: Theme.fontCaption
                        wrapMode: Text.WordWrap
                    }
                    Label { Layout.fillWidth: true; text: signoff.comment; visible: text.length > 0; wrapMode: Text.WordWrap }
                }
                EmptyState { anchors.centerIn: parent; width: parent.width; visible: parent.count === 0 && plan.loaded; title: qsTr("No sign-offs yet") }
            }
        }
    }
}
