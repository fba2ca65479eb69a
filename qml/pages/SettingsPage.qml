import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Language (follows the system unless chosen; switches at once), the server and who is
// signed in, signing out (with a warning while edits are still waiting to go out), and
// on a phone the pages that have no place in the bottom bar.
Item {
    id: page

    Dialog {
        id: confirmSignOut
        objectName: "confirmSignOut"
        anchors.centerIn: parent
        width: Math.min(440, page.width - 2 * Theme.spacingL)
        modal: true
        title: qsTr("Sign out?")
        standardButtons: Dialog.Cancel | Dialog.Ok
        Label {
            width: parent.width
            wrapMode: Text.WordWrap
            text: qsTr("%n edit(s) have not reached the server yet. They stay on this device and go out the next time you sign in here as %1.", "", AppController.sync.pending).arg(AppController.username)
        }
        onAccepted: AppController.signOut()
    }

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight + 2 * Theme.spacingL
        clip: true
        ScrollBar.vertical: ScrollBar { }

        ColumnLayout {
            id: column
            x: Theme.spacingL
            y: Theme.spacingL
            width: Math.min(parent.width - 2 * Theme.spacingL, 720)
            spacing: Theme.spacingM

            PageHeader { Layout.fillWidth: true; title: qsTr("Settings") }

            Card {
                Layout.fillWidth: true
                SectionTitle { text: qsTr("Language") }
                ButtonGroup { id: languages }
                Repeater {
                    model: [
                        { "key": "", "label": qsTr("Follow the system") },
                        { "key": "en", "label": "English" },
                        { "key": "zh_CN", "label": "简体中文" }
                    ]
                    delegate: RadioButton {
                        required property var modelData
                        objectName: "language_" + (modelData.key.length > 0 ? modelData.key : "system")
                        ButtonGroup.group: languages
                        text: modelData.label
                        checked: modelData.key === "" ? AppController.languageFollowsSystem
                                                      : !AppController.languageFollowsSystem && AppController.language === modelData.key
                        Accessible.name: modelData.label
                        onClicked: AppController.setLanguage(modelData.key)
                    }
                }
            }

            Card {
                Layout.fillWidth: true
                SectionTitle { text: qsTr("Account") }
                FieldRow { label: qsTr("Signed in as"); value: AppController.displayName.length > 0 ? qsTr("%1 (%2)").arg(AppController.displayName).arg(AppController.username) : qsTr("Not signed in") }
                FieldRow { label: qsTr("Department"); value: AppController.departmentName }
                FieldRow { label: qsTr("Server"); value: AppController.server }
                FieldRow { label: qsTr("Data on this device"); value: AppController.replicaDir }
                FieldRow {
                    label: qsTr("Waiting to send")
                    value: qsTr("%n edit(s)", "", AppController.sync.pending)
                }
                RowLayout {
                    Layout.fillWidth: true
                    Button {
                        objectName: "signOutButton"
                        visible: AppController.signedIn
                        text: qsTr("Sign out")
                        Accessible.name: text
                        onClicked: AppController.sync.pending > 0 ? confirmSignOut.open() : AppController.signOut()
                    }
                    Button {
                        objectName: "signInAgainSettings"
                        visible: AppController.session !== AppController.SignedIn
                        text: qsTr("Sign in")
                        highlighted: true
                        Accessible.name: text
                        onClicked: AppController.openPage("sign-in")
                    }
                }
            }

            Card {
                Layout.fillWidth: true
                SectionTitle { text: qsTr("More") }
                ItemDelegate {
                    objectName: "openRejected"
                    Layout.fillWidth: true
                    text: qsTr("Rejected edits (%1)").arg(AppController.sync.rejected)
                    icon.source: Theme.icon("rejected")
                    Accessible.name: qsTr("Rejected edits")
                    onClicked: AppController.openPage("rejected")
                }
                ItemDelegate {
                    objectName: "openHq"
                    Layout.fillWidth: true
                    visible: AppController.isHq
                    text: qsTr("HQ overview")
                    icon.source: Theme.icon("hq")
                    Accessible.name: text
                    onClicked: AppController.openPage("hq")
                }
            }
        }
    }
}
