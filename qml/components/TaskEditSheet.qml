import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// A task's execution fields from the plan page: percent, status, actual finish, and a
// note (recorded as a progress report). Only for tasks the rules let me report on.
Dialog {
    id: sheet
    property string taskId
    property string taskName
    property int percent: 0
    property int startPercent: 0
    property string startStatus
    property string startFinish
    property bool saving: false
    property string error
    readonly property bool narrow: parent ? parent.width < Theme.wideBreakpoint : true
    readonly property var statuses: ["not_started", "in_progress", "done", "delayed", "blocked"]
    readonly property var statusLabels: [qsTr("Not started"), qsTr("In progress"), qsTr("Done"), qsTr("Delayed"),
                                         qsTr("Blocked")]

    function isoDate(d) {
        return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0")
    }
    function openFor(task) {
        taskId = task.taskId
        taskName = task.name
        startPercent = task.percent
        percent = task.percent
        startStatus = task.statusKey
        status.currentIndex = Math.max(0, statuses.indexOf(task.statusKey))
        startFinish = task.actualFinish && !isNaN(task.actualFinish) ? isoDate(task.actualFinish) : ""
        finish.text = startFinish
        note.text = ""
        error = ""
        saving = false
        open()
    }

    objectName: "taskEditSheet"
    modal: true
    focus: true
    padding: Theme.spacingL
    width: narrow ? parent.width : Math.min(520, parent.width - 2 * Theme.spacingXL)
    x: narrow ? 0 : (parent.width - width) / 2
    y: narrow ? parent.height - height : Math.max(Theme.spacingXL, (parent.height - height) / 2)
    height: Math.min(implicitHeight, parent.height - (narrow ? 0 : 2 * Theme.spacingXL))
    title: qsTr("Update task")

    Connections {
        target: AppController
        function onActionFinished(action, subject, ok, message) {
            if (action !== "updateTask" || subject !== sheet.taskId || !sheet.saving) return
            sheet.saving = false
            if (ok) sheet.close()
            else sheet.error = message
        }
    }

    contentItem: ScrollView {
        id: scroll
        clip: true
        contentWidth: availableWidth
        ColumnLayout {
            width: scroll.availableWidth
            spacing: Theme.spacingM
            Label {
                Layout.fillWidth: true
                text: sheet.taskName
                font.pixelSize: Theme.fontSubtitle
                font.bold: true
                wrapMode: Text.WordWrap
            }
            Label {
                text: qsTr("Progress: %1").arg(Theme.formatPercent(sheet.percent))
                font.bold: true
            }
            Slider {
                objectName: "taskPercentSlider"
                Layout.fillWidth: true
                from: 0; to: 100; stepSize: 10
                snapMode: Slider.SnapAlways
                value: sheet.percent
                onMoved: sheet.percent = Math.round(value)
                Accessible.name: qsTr("Progress in percent")
            }
            Label { text: qsTr("Status"); color: Theme.textSecondary }
            ComboBox {
                id: status
                objectName: "taskStatusBox"
                Layout.fillWidth: true
                model: sheet.statusLabels
                Accessible.name: qsTr("Status")
            }
            Label { text: qsTr("Finished on (YYYY-MM-DD)"); color: Theme.textSecondary }
            RowLayout {
                Layout.fillWidth: true
                TextField {
                    id: finish
                    objectName: "taskFinishField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("not finished")
                    inputMethodHints: Qt.ImhDate
                    validator: RegularExpressionValidator { regularExpression: /^$|^\d{4}-\d{2}-\d{2}$/ }
                    Accessible.name: qsTr("Finished on")
                }
                Button {
                    objectName: "taskFinishToday"
                    text: qsTr("Today")
                    flat: true
                    Accessible.name: qsTr("Finished today")
                    onClicked: finish.text = sheet.isoDate(new Date())
                }
            }
            TextArea {
                id: note
                objectName: "taskNoteField"
                Layout.fillWidth: true
                placeholderText: qsTr("Note (saved as a progress report)")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Note")
            }
            Label {
                objectName: "taskEditError"
                Layout.fillWidth: true
                visible: sheet.error.length > 0
                text: sheet.error
                color: Theme.red
                wrapMode: Text.WordWrap
            }
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "cancelTaskButton"
            text: qsTr("Cancel")
            flat: true
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: text
        }
        Button {
            objectName: "saveTaskButton"
            text: qsTr("Save")
            highlighted: true
            enabled: !sheet.saving && finish.acceptableInput
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            Accessible.name: qsTr("Save task")
            onClicked: {
                const newStatus = sheet.statuses[status.currentIndex]
                sheet.saving = true
                sheet.error = ""
                AppController.updateTask(sheet.taskId,
                                         sheet.percent !== sheet.startPercent ? sheet.percent : -1,
                                         newStatus !== sheet.startStatus ? newStatus : "",
                                         finish.text !== sheet.startFinish ? finish.text : "-",
                                         note.text)
            }
        }
    }
}
