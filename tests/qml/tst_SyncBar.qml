import QtQuick
import QtTest
import Tandem
import Tandem.App
import Tandem.Test

// The sync bar as sales.li: online; offline once the server stops, with the edits that
// wait to go out counted; and "sync now" sends them when the server is back.
Item {
    width: 390
    height: 844

    SyncBar { id: bar; width: parent.width }

    TestCase {
        name: "SyncBar"
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

        function test_offlinePendingAndSyncNow() {
            const state = findChild(bar, "syncState")
            const detail = findChild(bar, "syncDetail")
            const syncNow = findChild(bar, "syncNowButton")
            tryCompare(state, "text", "Online", 20000)
            verify(syncNow.visible)
            verify(detail.text.indexOf("synced") >= 0, detail.text)

            compare(TestBackend.stopServer(), 0)
            tryVerify(() => syncNow.enabled, 60000)
            mouseClick(syncNow)
            tryCompare(state, "text", "Offline", 60000)
            verify(bar.offline)
            // (The app retries by itself meanwhile: a retry shows "Syncing…" for a moment.)
            tryVerify(() => detail.text.indexOf("saved on this device") >= 0, 10000, detail.text)

            // An edit offline: counted as waiting.
            AppController.logProgress(TestBackend.taskLedBy("SALES"), 90, "离线记录", "", "", "")
            tryVerify(() => AppController.sync.pending > 0, 10000)
            const pending = AppController.sync.pending
            tryVerify(() => detail.text.indexOf(pending + " edit") >= 0, 10000, detail.text)
            verify(detail.text.indexOf("waiting to send") >= 0, detail.text)
            tryCompare(state, "text", "Offline", 60000)

            // Back: "sync now" sends them.
            verify(TestBackend.startServer())
            tryVerify(() => syncNow.enabled, 60000)
            mouseClick(syncNow)
            tryCompare(AppController.sync, "pending", 0, 60000)
            tryCompare(state, "text", "Online", 60000)
            verify(detail.text.indexOf("waiting") < 0, detail.text)
            verify(detail.text.indexOf("synced") >= 0, detail.text)
        }
    }
}
