import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// Settings as sales.li: the language switches at run time (English → 简体中文 → English)
// and what the page and the rules say follows; signing out warns while edits wait.
Item {
    width: 390
    height: 844

    MyTasksModel { id: tasks }
    SettingsPage { id: page; anchors.fill: parent }

    TestCase {
        name: "SettingsPage"
        when: windowShown

        function findChild(item, objectName) {
            if (!item) return null
            if (item.objectName === objectName) return item
            const children = item.children || []
            for (let i = 0; i < children.length; ++i) {
                const found = findChild(children[i], objectName)
                if (found) return found
            }
            if (item.contentItem && item.contentItem !== item) return findChild(item.contentItem, objectName)
            return null
        }
        function findText(item, text) {
            if (!item) return null
            if (item.text === text && item.objectName === "" && item.font !== undefined) return item
            const children = item.children || []
            for (let i = 0; i < children.length; ++i) {
                const found = findText(children[i], text)
                if (found) return found
            }
            if (item.contentItem && item.contentItem !== item) return findText(item.contentItem, text)
            return null
        }

        function test_1_switchesLanguageAtRunTime() {
            compare(AppController.language, "en")
            tryVerify(() => tasks.loaded && tasks.count > 0, 20000)
            const english = tasks.get(0).warnings[0]
            verify(english.indexOf("late") >= 0, english)
            const title = findText(page, "Settings")
            verify(title, "the page title")
            const signOut = findChild(page, "signOutButton")
            compare(signOut.text, "Sign out")

            mouseClick(findChild(page, "language_zh_CN"))
            compare(AppController.language, "zh_CN")
            verify(!AppController.languageFollowsSystem)
            verify(findChild(page, "language_zh_CN").checked)
            // The rules' texts come in Chinese …
            tryVerify(() => tasks.get(0).warnings[0] !== english, 20000)
            verify(tasks.get(0).warnings[0].indexOf("风险预警") >= 0, tasks.get(0).warnings[0])
            compare(tasks.get(0).status, qsTranslate("Enum", "In progress"))
            // … and every qsTr text is re-evaluated with the Chinese catalogue (whatever of
            // it is translated yet: where it is, the text is no longer the English one).
            compare(title.text, qsTranslate("SettingsPage", "Settings"))
            compare(signOut.text, qsTranslate("SettingsPage", "Sign out"))
            if (qsTranslate("SettingsPage", "Settings") !== "Settings") verify(title.text !== "Settings")

            mouseClick(findChild(page, "language_en"))
            compare(AppController.language, "en")
            tryCompare(title, "text", "Settings")
            compare(signOut.text, "Sign out")
            tryVerify(() => tasks.get(0).warnings[0] === english, 20000)
        }

        function test_2_signOutWarnsWhileEditsWait() {
            TestBackend.setWatching(false)
            verify(TestBackend.settle())
            AppController.logProgress(TestBackend.taskLedBy("SALES"), 80, "待同步", "", "", "")
            tryVerify(() => AppController.sync.pending > 0, 10000)
            // A Dialog is no child Item: it is among the page's resources.
            let dialog = null
            for (let i = 0; i < page.resources.length; ++i)
                if (page.resources[i].objectName === "confirmSignOut") dialog = page.resources[i]
            verify(dialog)
            mouseClick(findChild(page, "signOutButton"))
            tryVerify(() => dialog.opened, 5000, "asks first")
            compare(AppController.session, AppController.SignedIn)
            const pending = AppController.sync.pending
            const warning = dialog.contentChildren[0].text
            verify(warning.indexOf(pending + " edit") >= 0, warning)
            dialog.reject()
            tryVerify(() => !dialog.visible)
            compare(AppController.session, AppController.SignedIn, "cancelled: still signed in")

            // Once they are out, it signs out at once.
            TestBackend.setWatching(true)
            verify(TestBackend.syncAndSettle())
            compare(AppController.sync.pending, 0)
            mouseClick(findChild(page, "signOutButton"))
            tryCompare(AppController, "session", AppController.SignedOut, 20000)
            verify(!dialog.opened)
        }
    }
}
