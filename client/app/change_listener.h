#pragma once
// What AppController tells about each sync and each edit: the plans (or the
// organisation) they changed, so a model or view reloads only when that concerns it.

#include "tandem/client/sync_engine.h"

namespace tandem::app {

class ChangeListener {
public:
    virtual ~ChangeListener() = default;
    /// On the GUI thread, after the replica changed.
    virtual void changed(const client::ChangeSet& changes) = 0;
};

}  // namespace tandem::app
