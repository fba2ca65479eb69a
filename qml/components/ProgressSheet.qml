import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Logging progress on a task, in at most three taps from My work: "Log progress" opens
// this sheet with the task's percent; a quick chip (or the slider, in 10-point steps)
// sets the new one; "Save" saves it on this device and queues it for the server. A
// note, a problem, its solution and the next step are optional.
Dialog {
    id: sheet
    property string taskId
    property string taskName
    property string planTitle
    property int percent: 0
    property int startPercent: 0
    property bool saving: false
    property string error
    readonly property bool narrow: parent ? parent.width < Theme.wideBreakpoint : true

    function openFor(task) {
        taskId = task.taskId
        taskName = task.name
        planTitle = task.planTitle
        startPercent = task.percent
        percent = task.percent
        note.text = ""
        problem.text = ""
        solution.text = ""
        nextStep.text = ""
        more.checked = false
        error = ""
        saving = false
        open()
    }

    objectName: "progressSheet"
    modal: true
    focus: true
    padding: Theme.spacingL
    width: narrow ? parent.width : Math.min(520, parent.width - 2 * Theme.spacingXL)
    x: narrow ? 0 : (parent.width - width) / 2
    y: narrow ? parent.height - height : Math.max(Theme.spacingXL, (parent.height - height) / 2)
    height: Math.min(implicitHeight, parent.height - (narrow ? 0 : 2 * Theme.spacingXL))
    title: qsTr("Log progress")

    Connections {
        target: AppController
        function onActionFinished(action, subject, ok, message) {
            if (action !== "logProgress" || subject !== sheet.taskId || !sheet.saving) return
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
                Layout.fillWidth: true
                text: sheet.planTitle
                color: Theme.textSecondary
                wrapMode: Text.WordWrap
            }
            RowLayout {
                Layout.fillWidth: true
                Label {
                    objectName: "percentValue"
                    text: Theme.formatPercent(sheet.percent)
                    font.pixelSize: Theme.fontDisplay
                    font.bold: true
                    color: Theme.primary
                    Accessible.name: qsTr("New progress %1").arg(text)
                }
                Label {
                    Layout.fillWidth: true
                    text: sheet.percent === sheet.startPercent ? qsTr("unchanged")
                                                              : qsTr("was %1").arg(Theme.formatPercent(sheet.startPercent))
                    color: Theme.textSecondary
                    horizontalAlignment: Text.AlignRight
                }
            }
            Slider {
                objectName: "percentSlider"
                Layout.fillWidth: true
                from: 0
                to: 100
                stepSize: 10
                snapMode: Slider.SnapAlways
                value: sheet.percent
                onMoved: sheet.percent = Math.round(value)
                Accessible.name: qsTr("Progress in percent")
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacingS
                Repeater {
                    model: [
                        { "key": "chipPlus10", "label": qsTr("+10%"), "value": -1 },
                        { "key": "chip50", "label": Theme.formatPercent(50), "value": 50 },
                        { "key": "chip80", "label": Theme.formatPercent(80), "value": 80 },
                        { "key": "chip100", "label": qsTr("Done (100%)"), "value": 100 }
                    ]
                    delegate: Button {
                        required property var modelData
                        objectName: modelData.key
                        text: modelData.label
                        flat: false
                        highlighted: modelData.value === sheet.percent
                        Accessible.name: modelData.value < 0 ? qsTr("Add 10 percent") : qsTr("Set %1").arg(modelData.label)
                        onClicked: sheet.percent = modelData.value < 0 ? Math.min(100, sheet.percent + 10) : modelData.value
                    }
                }
            }
            TextArea {
                id: note
                objectName: "noteField"
                Layout.fillWidth: true
                placeholderText: qsTr("What was done (optional)")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Note")
            }
            CheckBox {
                id: more
                objectName: "moreToggle"
                text: qsTr("Report a problem or the next step")
                Accessible.name: text
            }
            TextArea {
                id: problem
                objectName: "problemField"
                visible: more.checked
                Layout.fillWidth: true
                placeholderText: qsTr("Problem (问题反馈)")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Problem")
            }
            TextArea {
                id: solution
                objectName: "solutionField"
                visible: more.checked
                Layout.fillWidth: true
                placeholderText: qsTr("Proposed solution")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Solution")
            }
            TextArea {
                id: nextStep
                objectName: "nextStepField"
                visible: more.checked
                Layout.fillWidth: true
                placeholderText: qsTr("Next step")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Next step")
            }
            Label {
                objectName: "progressError"
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
            objectName: "cancelProgressButton"
            text: qsTr("Cancel")
            flat: true
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: text
        }
        Button {
            objectName: "saveProgressButton"
            text: qsTr("Save")
            highlighted: true
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            enabled: !sheet.saving
            Accessible.name: qsTr("Save progress")
            onClicked: {
                sheet.saving = true
                sheet.error = ""
                AppController.logProgress(sheet.taskId, sheet.percent, note.text, problem.text, solution.text,
                                          nextStep.text)
            }
        }
    }
}
