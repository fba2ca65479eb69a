import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tandem
import Tandem.App

// The sync status, on every page: online, offline or "sign in again"; edits waiting to
// go out and edits the server refused; the last sync; progress during a long sync; and
// "sync now".
Rectangle {
    id: bar
    readonly property var sync: AppController.sync
    readonly property bool offline: sync.state === SyncStatus.Offline
    readonly property bool needsSignIn: sync.state === SyncStatus.SignInRequired
    property bool compact: false

    implicitHeight: layout.implicitHeight + 2 * Theme.spacingM + (progress.visible ? progress.height : 0)
    color: needsSignIn ? Theme.yellowTint : offline ? Theme.offlineTint : Theme.surface
    border.color: Theme.border
    border.width: compact ? 0 : 1
    radius: compact ? 0 : Theme.radius

    function stateText() {
        switch (sync.state) {
        case SyncStatus.SignedOut: return qsTr("Not signed in")
        case SyncStatus.SignInRequired: return qsTr("Sign in again to sync")
        case SyncStatus.Syncing:
            return sync.progressTotal > 0
                ? (sync.pushing ? qsTr("Sending %1 of %2 changes…") : qsTr("Receiving %1 of %2 changes…"))
                      .arg(Theme.formatNumber(sync.progressDone)).arg(Theme.formatNumber(sync.progressTotal))
                : qsTr("Syncing…")
        case SyncStatus.Offline: return qsTr("Offline")
        default: return qsTr("Online")
        }
    }
    function detailText() {
        const parts = []
        if (sync.pending > 0) parts.push(qsTr("%n edit(s) waiting to send", "", sync.pending))
        else if (offline) parts.push(qsTr("your edits are saved on this device"))
        if (sync.lastSync && !isNaN(sync.lastSync)) parts.push(qsTr("synced %1").arg(Theme.formatTime(sync.lastSync)))
        else if (sync.state !== SyncStatus.SignedOut) parts.push(qsTr("not synced yet"))
        return parts.join(" · ")
    }

    Accessible.role: Accessible.StatusBar
    Accessible.name: stateText() + ". " + detailText()

    RowLayout {
        id: layout
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacingM
        anchors.leftMargin: Theme.spacingL
        spacing: Theme.spacingM

        Image {
            source: Theme.icon(bar.offline || bar.needsSignIn ? "offline" : "online")
            sourceSize: Qt.size(20, 20)
            opacity: 0.7
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "syncState"
                Layout.fillWidth: true
                text: bar.stateText()
                font.bold: true
                color: bar.needsSignIn ? Theme.yellow : Theme.text
                elide: Text.ElideRight
            }
            Label {
                objectName: "syncDetail"
                Layout.fillWidth: true
                text: bar.detailText()
                color: Theme.textSecondary
                font.pixelSize: Theme.fontCaption
                wrapMode: Text.WordWrap
                visible: text.length > 0
            }
            Label {
                objectName: "rejectedLink"
                visible: bar.sync.rejected > 0
                text: qsTr("%n edit(s) refused by the server", "", bar.sync.rejected)
                color: Theme.red
                font.pixelSize: Theme.fontCaption
                font.underline: true
                Accessible.role: Accessible.Link
                Accessible.name: text
                MouseArea {
                    anchors.fill: parent
                    cursorShape: Qt.PointingHandCursor
                    onClicked: AppController.openPage("rejected")
                }
            }
        }
        Button {
            objectName: "signInAgainButton"
            visible: bar.needsSignIn
            text: qsTr("Sign in")
            Accessible.name: qsTr("Sign in again")
            onClicked: AppController.openPage("sign-in")
        }
        ToolButton {
            objectName: "syncNowButton"
            visible: AppController.session === AppController.SignedIn
            enabled: !bar.sync.syncing
            icon.source: Theme.icon("sync")
            text: bar.compact ? "" : qsTr("Sync now")
            display: bar.compact ? AbstractButton.IconOnly : AbstractButton.TextBesideIcon
            Accessible.name: qsTr("Sync now")
            ToolTip.visible: hovered && bar.compact
            ToolTip.text: qsTr("Sync now")
            onClicked: AppController.syncNow()
        }
    }
    ProgressBar {
        id: progress
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        visible: bar.sync.syncing
        indeterminate: bar.sync.progress < 0
        value: Math.max(0, bar.sync.progress)
        Accessible.name: qsTr("Sync progress")
    }
}
