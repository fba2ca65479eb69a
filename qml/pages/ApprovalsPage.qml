import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Plans and change requests waiting for my signature as a department head. Signing
// works offline (the password is checked on this device). An approval that went out
// of date shows what changed since it was signed.
Item {
    id: page
    property var model
    property var signOffSheet

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingM

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Approvals")
            subtitle: AppController.isHead ? qsTr("%n waiting for your signature (签字确认)", "", page.model.count)
                                          : qsTr("Department heads sign plans and change requests here.")
        }

        ListView {
            id: list
            objectName: "approvalList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.spacingM
            model: page.model
            boundsBehavior: Flickable.DragOverBounds
            onDragEnded: if (contentY < -72) AppController.syncNow()
            ScrollBar.vertical: ScrollBar { }

            delegate: Card {
                id: item
                required property int index
                required property string subjectId
                required property string kind
                required property string kindLabel
                required property string title
                required property string planId
                required property string planTitle
                required property string department
                required property bool stale
                required property string lastMeaning
                required property var lastSignedAt
                required property var changes
                required property bool changesExact
                required property bool canSign
                required property string cannotSignReason
                required property string summary
                objectName: "approvalCard_" + index
                width: ListView.view.width

                RowLayout {
                    Layout.fillWidth: true
                    StatusChip { text: item.kindLabel; tint: Theme.primaryTint; textColor: Theme.primary }
                    Label {
                        Layout.fillWidth: true
                        text: item.title
                        font.pixelSize: Theme.fontSubtitle
                        font.bold: true
                        wrapMode: Text.WordWrap
                    }
                }
                Label {
                    Layout.fillWidth: true
                    text: (item.kind === "plan" ? "" : item.planTitle + " · ") + qsTr("for %1").arg(item.department)
                    color: Theme.textSecondary
                    wrapMode: Text.WordWrap
                }
                Label {
                    Layout.fillWidth: true
                    visible: item.summary.length > 0
                    text: item.summary
                    wrapMode: Text.WordWrap
                }
                Rectangle {
                    Layout.fillWidth: true
                    visible: item.stale
                    color: Theme.yellowTint
                    radius: Theme.radius
                    implicitHeight: staleColumn.implicitHeight + 2 * Theme.spacingM
                    ColumnLayout {
                        id: staleColumn
                        anchors.fill: parent
                        anchors.margins: Theme.spacingM
                        spacing: Theme.spacingS
                        Label {
                            Layout.fillWidth: true
                            text: qsTr("Your department's sign-off (%1, %2) is out of date: the content changed since.")
                                  .arg(item.lastMeaning).arg(Theme.formatDateTime(item.lastSignedAt))
                            color: Theme.yellow
                            font.bold: true
                            wrapMode: Text.WordWrap
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: item.changes.length > 0 && !item.changesExact
                            text: qsTr("Changes as this device knows them:")
                            color: Theme.textSecondary
                            font.pixelSize: Theme.fontCaption
                        }
                        Repeater {
                            model: item.changes
                            delegate: Label {
                                required property var modelData
                                Layout.fillWidth: true
                                text: qsTr("%1 — %2: %3 → %4").arg(modelData.what).arg(modelData.field)
                                      .arg(modelData.before.length > 0 ? modelData.before : qsTr("(empty)"))
                                      .arg(modelData.after.length > 0 ? modelData.after : qsTr("(empty)"))
                                wrapMode: Text.WordWrap
                                font.pixelSize: Theme.fontCaption
                            }
                        }
                    }
                }
                Label {
                    Layout.fillWidth: true
                    visible: !item.canSign
                    text: item.cannotSignReason
                    color: Theme.textSecondary
                    wrapMode: Text.WordWrap
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS
                    Button {
                        objectName: "approveButton"
                        text: qsTr("Approve")
                        highlighted: true
                        enabled: item.canSign
                        Accessible.name: qsTr("Approve %1").arg(item.title)
                        onClicked: page.signOffSheet.openFor(item, "approve")
                    }
                    Button {
                        objectName: "acknowledgeButton"
                        text: qsTr("Acknowledge")
                        enabled: item.canSign
                        Accessible.name: qsTr("Acknowledge %1").arg(item.title)
                        onClicked: page.signOffSheet.openFor(item, "acknowledge")
                    }
                    Button {
                        objectName: "rejectButton"
                        text: qsTr("Reject")
                        flat: true
                        enabled: item.canSign
                        Accessible.name: qsTr("Reject %1").arg(item.title)
                        onClicked: page.signOffSheet.openFor(item, "reject")
                    }
                    Button {
                        objectName: "openApprovalPlan"
                        text: qsTr("Open plan")
                        flat: true
                        Accessible.name: qsTr("Open the plan %1").arg(item.planTitle)
                        onClicked: AppController.openPlan(item.planId)
                    }
                }
            }

            EmptyState {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingXL
                visible: page.model.loaded && page.model.count === 0
                icon: "approvals"
                title: qsTr("Nothing to sign")
                text: AppController.isHead ? qsTr("Plans and change requests in review appear here until your department has signed them.")
                                           : qsTr("Only department heads sign off.")
            }
        }
    }
}
