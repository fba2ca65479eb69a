import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Tandem
import Tandem.App

// The window: adaptive by width, not by platform (Kirigami's wideMode). Wide: a side
// bar, the sync status and the page (master–detail for a plan). Narrow (a phone): the
// sync status on top, one page, a bottom bar. What page shows is AppController's state.
ApplicationWindow {
    id: window
    width: 1280
    height: 820
    minimumWidth: 320
    minimumHeight: 480
    visible: true
    title: AppController.page === "plan" && planTitle.length > 0 ? planTitle + " — Tandem" : "Tandem"
    color: Theme.background

    Material.theme: Material.Light
    Material.primary: Theme.primary
    Material.accent: Theme.primary
    Material.background: Theme.background

    readonly property bool wide: width >= Theme.wideBreakpoint
    readonly property bool signInShown: AppController.page === "sign-in"
    property string planTitle

    // Shared by the navigation badges and their pages, so each loads once.
    ApprovalsModel { id: approvalsModel }
    ConflictsModel { id: conflictsModel }

    Component {
        id: pageComponent
        Loader {
            sourceComponent: {
                switch (AppController.page) {
                case "plans": return plansPage
                case "plan": return window.wide ? planWithList : planPage
                case "approvals": return approvalsPage
                case "conflicts": return conflictsPage
                case "rejected": return rejectedPage
                case "hq": return hqPage
                case "settings": return settingsPage
                default: return myWorkPage
                }
            }
        }
    }
    Component { id: myWorkPage; MyWorkPage { progressSheet: progressPopup } }
    Component { id: plansPage; PlansPage { } }
    Component { id: planPage; PlanPage { planId: AppController.planId; taskSheet: taskEdit; onTitleChanged: window.planTitle = title } }
    Component {
        id: planWithList
        RowLayout {
            spacing: 0
            PlansPage { Layout.preferredWidth: Math.min(420, window.width * 0.34); Layout.fillHeight: true; compact: true }
            Rectangle { Layout.fillHeight: true; width: 1; color: Theme.border }
            PlanPage {
                Layout.fillWidth: true
                Layout.fillHeight: true
                planId: AppController.planId
                taskSheet: taskEdit
                onTitleChanged: window.planTitle = title
            }
        }
    }
    Component { id: approvalsPage; ApprovalsPage { model: approvalsModel; signOffSheet: signOff } }
    Component { id: conflictsPage; ConflictsPage { model: conflictsModel } }
    Component { id: rejectedPage; RejectedPage { } }
    Component { id: hqPage; HqPage { } }
    Component { id: settingsPage; SettingsPage { } }

    SignInPage {
        anchors.fill: parent
        visible: window.signInShown
    }

    RowLayout {
        anchors.fill: parent
        visible: !window.signInShown && window.wide
        spacing: 0
        AppNavigation {
            Layout.fillHeight: true
            wide: true
            approvals: approvalsModel.count
            conflicts: conflictsModel.count
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0
            SyncBar {
                Layout.fillWidth: true
                Layout.margins: Theme.spacingM
            }
            Loader {
                Layout.fillWidth: true
                Layout.fillHeight: true
                active: !window.signInShown && window.wide
                sourceComponent: pageComponent
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        visible: !window.signInShown && !window.wide
        spacing: 0
        SyncBar {
            Layout.fillWidth: true
            compact: true
        }
        Loader {
            Layout.fillWidth: true
            Layout.fillHeight: true
            active: !window.signInShown && !window.wide
            sourceComponent: pageComponent
        }
        AppNavigation {
            Layout.fillWidth: true
            wide: false
            approvals: approvalsModel.count
            conflicts: conflictsModel.count
        }
    }

    // Not "progress": the page Loader's own progress property would shadow that id.
    ProgressSheet { id: progressPopup }
    TaskEditSheet { id: taskEdit }
    SignOffSheet { id: signOff }

    // What an intent did, in a line at the bottom (sheets show their own errors).
    Popup {
        id: toast
        objectName: "toast"
        property alias text: toastText.text
        property bool failure: false
        x: (window.width - width) / 2
        y: window.height - height - (window.wide ? Theme.spacingXL : 72)
        width: Math.min(window.width - 2 * Theme.spacingL, 520)
        padding: Theme.spacingM
        closePolicy: Popup.CloseOnPressOutside
        background: Rectangle { radius: Theme.radius; color: toast.failure ? Theme.red : "#263043" }
        contentItem: Label {
            id: toastText
            color: "white"
            wrapMode: Text.WordWrap
        }
        Timer { id: toastTimer; interval: 4000; onTriggered: toast.close() }
        function show(message, failure) {
            text = message
            toast.failure = failure
            open()
            toastTimer.restart()
        }
    }
    Connections {
        target: AppController
        function onActionFinished(action, subject, ok, message) {
            if (!ok) {
                toast.show(message, true)
                return
            }
            const offline = AppController.sync.state !== SyncStatus.Online && AppController.sync.state !== SyncStatus.Syncing
            if (action === "logProgress" || action === "updateTask")
                toast.show(offline ? qsTr("Saved on this device. It goes out when you are back online.")
                                   : qsTr("Saved. Sending it now."), false)
            else if (action === "signOff")
                toast.show(offline ? qsTr("Signed on this device. The signature goes out when you are back online.")
                                   : qsTr("Signed. Sending the signature now."), false)
            else if (action === "restoreValue")
                toast.show(qsTr("The value is back. Your edit goes out with the next sync."), false)
        }
    }
}
