import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// Sign in: the server's address, your username and password. Errors say what went
// wrong in words (wrong password, server unreachable, a certificate problem, a device
// whose data belongs to someone else).
Rectangle {
    id: page
    color: Theme.background

    Flickable {
        anchors.fill: parent
        contentHeight: Math.max(height, column.implicitHeight + 2 * Theme.spacingXL)
        clip: true

        ColumnLayout {
            id: column
            width: Math.min(420, page.width - 2 * Theme.spacingL)
            anchors.horizontalCenter: parent.horizontalCenter
            y: Math.max(Theme.spacingXL, (page.height - implicitHeight) / 3)
            spacing: Theme.spacingL

            RowLayout {
                Layout.alignment: Qt.AlignHCenter
                spacing: Theme.spacingM
                Image { source: Theme.icon("logo"); sourceSize: Qt.size(40, 40) }
                Label { text: "Tandem"; font.pixelSize: Theme.fontDisplay; font.bold: true; color: Theme.primary }
            }
            Label {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("Cross-department plans, in step — online or offline.")
                color: Theme.textSecondary
                wrapMode: Text.WordWrap
            }

            Card {
                Layout.fillWidth: true
                spacing: Theme.spacingM

                Label {
                    text: AppController.session === AppController.SignInRequired ? qsTr("Your session has ended: sign in again")
                                                                                  : qsTr("Sign in")
                    font.pixelSize: Theme.fontSubtitle
                    font.bold: true
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                }
                Label { text: qsTr("Server"); color: Theme.textSecondary }
                TextField {
                    id: server
                    objectName: "serverField"
                    Layout.fillWidth: true
                    text: AppController.defaultServer
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    Accessible.name: qsTr("Server address")
                }
                Label { text: qsTr("Username"); color: Theme.textSecondary }
                TextField {
                    id: username
                    objectName: "usernameField"
                    Layout.fillWidth: true
                    text: AppController.username
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    Accessible.name: qsTr("Username")
                    onAccepted: password.forceActiveFocus()
                }
                Label { text: qsTr("Password"); color: Theme.textSecondary }
                TextField {
                    id: password
                    objectName: "passwordField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    Accessible.name: qsTr("Password")
                    onAccepted: signInButton.clicked()
                }
                Label {
                    objectName: "signInError"
                    Layout.fillWidth: true
                    visible: AppController.signInError.length > 0
                    text: AppController.signInError
                    color: Theme.red
                    wrapMode: Text.WordWrap
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: text
                }
                Button {
                    id: signInButton
                    objectName: "signInButton"
                    Layout.fillWidth: true
                    text: AppController.signingIn ? qsTr("Signing in…") : qsTr("Sign in")
                    highlighted: true
                    enabled: !AppController.signingIn
                    Accessible.name: qsTr("Sign in")
                    onClicked: AppController.signIn(server.text, username.text, password.text)
                }
                BusyIndicator {
                    Layout.alignment: Qt.AlignHCenter
                    running: AppController.signingIn
                    visible: running
                }
            }
            Button {
                objectName: "workOfflineButton"
                Layout.alignment: Qt.AlignHCenter
                visible: AppController.session === AppController.SignInRequired
                text: qsTr("Keep working offline")
                flat: true
                Accessible.name: text
                onClicked: AppController.openPage("my-work")
            }
            Label {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("Data on this device: %1").arg(AppController.replicaDir)
                color: Theme.textTertiary
                font.pixelSize: Theme.fontCaption
                wrapMode: Text.WrapAnywhere
            }
        }
    }
}
