import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Signing a plan or a change request as a department head (签字确认): the meaning, a
// comment, and the password again — checked on this device, so it works offline. The
// sign-off records the hash of what this device shows; the server marks it stale if
// the content differs.
Dialog {
    id: sheet
    property string subjectId
    property string subjectTitle
    property string department
    property string meaning: "approve"
    property bool saving: false
    property string error
    readonly property bool narrow: parent ? parent.width < Theme.wideBreakpoint : true

    function openFor(item, initialMeaning) {
        subjectId = item.subjectId
        subjectTitle = item.title
        department = item.department
        meaning = initialMeaning || "approve"
        comment.text = ""
        password.text = ""
        error = ""
        saving = false
        open()
        password.forceActiveFocus()
    }

    objectName: "signOffSheet"
    modal: true
    focus: true
    padding: Theme.spacingL
    width: narrow ? parent.width : Math.min(520, parent.width - 2 * Theme.spacingXL)
    x: narrow ? 0 : (parent.width - width) / 2
    y: narrow ? parent.height - height : Math.max(Theme.spacingXL, (parent.height - height) / 2)
    height: Math.min(implicitHeight, parent.height - (narrow ? 0 : 2 * Theme.spacingXL))
    title: qsTr("Sign off")

    Connections {
        target: AppController
        function onActionFinished(action, subject, ok, message) {
            if (action !== "signOff" || subject !== sheet.subjectId || !sheet.saving) return
            sheet.saving = false
            if (ok) sheet.close()
            else {
                sheet.error = message
                password.text = ""
            }
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
                text: sheet.subjectTitle
                font.pixelSize: Theme.fontSubtitle
                font.bold: true
                wrapMode: Text.WordWrap
            }
            Label {
                Layout.fillWidth: true
                text: qsTr("For %1, as %2").arg(sheet.department).arg(AppController.displayName)
                color: Theme.textSecondary
                wrapMode: Text.WordWrap
            }
            ButtonGroup { id: meanings }
            Repeater {
                model: [
                    { "key": "approve", "label": qsTr("Approve"), "hint": qsTr("The plan can go ahead as it stands") },
                    { "key": "reject", "label": qsTr("Reject"), "hint": qsTr("It needs changes before it can go ahead") },
                    { "key": "acknowledge", "label": qsTr("Acknowledge"), "hint": qsTr("My department has read it and confirms its part") }
                ]
                delegate: RadioButton {
                    required property var modelData
                    objectName: "meaning_" + modelData.key
                    Layout.fillWidth: true
                    ButtonGroup.group: meanings
                    checked: sheet.meaning === modelData.key
                    text: modelData.label + " — " + modelData.hint
                    Accessible.name: modelData.label
                    onToggled: if (checked) sheet.meaning = modelData.key
                    contentItem: Label {
                        leftPadding: parent.indicator.width + parent.spacing
                        text: parent.text
                        wrapMode: Text.WordWrap
                        verticalAlignment: Text.AlignVCenter
                    }
                }
            }
            TextArea {
                id: comment
                objectName: "signOffComment"
                Layout.fillWidth: true
                placeholderText: qsTr("Comment (optional)")
                wrapMode: TextEdit.Wrap
                Accessible.name: qsTr("Comment")
            }
            TextField {
                id: password
                objectName: "signOffPassword"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("Your password, to sign")
                Accessible.name: qsTr("Password")
                onAccepted: signButton.clicked()
            }
            Label {
                objectName: "signOffError"
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
            objectName: "cancelSignOffButton"
            text: qsTr("Cancel")
            flat: true
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: text
        }
        Button {
            id: signButton
            objectName: "confirmSignOffButton"
            text: qsTr("Sign")
            highlighted: true
            enabled: !sheet.saving && password.text.length > 0
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            Accessible.name: qsTr("Sign with password")
            onClicked: {
                sheet.saving = true
                sheet.error = ""
                AppController.signOff(sheet.subjectId, sheet.meaning, comment.text, password.text)
            }
        }
    }
}
