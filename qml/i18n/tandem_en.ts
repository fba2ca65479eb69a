<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AppNavigation</name>
    <message>
        <source>My work</source>
        <translation>My work</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>Plans</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Approvals</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Rejected edits</source>
        <translation>Rejected edits</translation>
    </message>
    <message>
        <source>HQ overview</source>
        <translation>HQ overview</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>More</source>
        <translation>More</translation>
    </message>
</context>
<context>
    <name>ApprovalsPage</name>
    <message>
        <source>Approvals</source>
        <translation>Approvals</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for your signature (签字确认)</source>
        <translation>
            <numerusform>%n waiting for your signature</numerusform>
            <numerusform>%n waiting for your signature</numerusform>
        </translation>
    </message>
    <message>
        <source>Department heads sign plans and change requests here.</source>
        <translation>Department heads sign plans and change requests here.</translation>
    </message>
    <message>
        <source>for %1</source>
        <translation>for %1</translation>
    </message>
    <message>
        <source>Your department&apos;s sign-off (%1, %2) is out of date: the content changed since.</source>
        <translation>Your department&apos;s sign-off (%1, %2) is out of date: the content changed since.</translation>
    </message>
    <message>
        <source>Changes as this device knows them:</source>
        <translation>Changes as this device knows them:</translation>
    </message>
    <message>
        <source>%1 — %2: %3 → %4</source>
        <translation>%1 — %2: %3 → %4</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Approve %1</source>
        <translation>Approve %1</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <source>Acknowledge %1</source>
        <translation>Acknowledge %1</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Reject %1</source>
        <translation>Reject %1</translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation>Open plan</translation>
    </message>
    <message>
        <source>Open the plan %1</source>
        <translation>Open the plan %1</translation>
    </message>
    <message>
        <source>Nothing to sign</source>
        <translation>Nothing to sign</translation>
    </message>
    <message>
        <source>Plans and change requests in review appear here until your department has signed them.</source>
        <translation>Plans and change requests in review appear here until your department has signed them.</translation>
    </message>
    <message>
        <source>Only department heads sign off.</source>
        <translation>Only department heads sign off.</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>You (this device)</source>
        <translation>You (this device)</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Values someone overwrote while you were both editing</source>
        <translation>Values someone overwrote while you were both editing</translation>
    </message>
    <message>
        <source>%1 “%2” — %3</source>
        <translation>%1 “%2” — %3</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>%1 — by %2, %3</source>
        <translation>%1 — by %2, %3</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>Overwritten</source>
        <translation>Overwritten</translation>
    </message>
    <message>
        <source>Restore “%1”</source>
        <translation>Restore “%1”</translation>
    </message>
    <message>
        <source>Restore the overwritten value of %1</source>
        <translation>Restore the overwritten value of %1</translation>
    </message>
    <message>
        <source>Keep current</source>
        <translation>Keep current</translation>
    </message>
    <message>
        <source>Keep the current value of %1</source>
        <translation>Keep the current value of %1</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>No conflicts</translation>
    </message>
    <message>
        <source>When someone else&apos;s edit overwrites a value in a task or plan you own or are accountable for, it shows here.</source>
        <translation>When someone else&apos;s edit overwrites a value in a task or plan you own or are accountable for, it shows here.</translation>
    </message>
</context>
<context>
    <name>CoreMessage</name>
    <message>
        <source>the plan is published: its content changes only through an approved change request</source>
        <translation>the plan is published: its content changes only through an approved change request</translation>
    </message>
    <message>
        <source>only a department head or an admin creates plans</source>
        <translation>only a department head or an admin creates plans</translation>
    </message>
    <message>
        <source>a department head creates plans that their own department leads</source>
        <translation>a department head creates plans that their own department leads</translation>
    </message>
    <message>
        <source>the creator of a plan becomes its owner</source>
        <translation>the creator of a plan becomes its owner</translation>
    </message>
    <message>
        <source>a new plan starts as a draft</source>
        <translation>a new plan starts as a draft</translation>
    </message>
    <message>
        <source>you cannot read this plan</source>
        <translation>you cannot read this plan</translation>
    </message>
    <message>
        <source>only the plan&apos;s owner and the lead department&apos;s head change the plan</source>
        <translation>only the plan&apos;s owner and the lead department&apos;s head change the plan</translation>
    </message>
    <message>
        <source>only the plan&apos;s owner changes its status</source>
        <translation>only the plan&apos;s owner changes its status</translation>
    </message>
    <message>
        <source>only the server marks a plan approved</source>
        <translation>only the server marks a plan approved</translation>
    </message>
    <message>
        <source>the plan&apos;s approvals are not current: it needs re-approval before publishing</source>
        <translation>the plan&apos;s approvals are not current: it needs re-approval before publishing</translation>
    </message>
    <message>
        <source>only the server marks a change request approved or rejected, from its sign-offs</source>
        <translation>only the server marks a change request approved or rejected, from its sign-offs</translation>
    </message>
    <message>
        <source>only the plan&apos;s owner applies a change request</source>
        <translation>only the plan&apos;s owner applies a change request</translation>
    </message>
    <message>
        <source>only an approved change request is applied</source>
        <translation>only an approved change request is applied</translation>
    </message>
    <message>
        <source>only the requester and the plan&apos;s owner submit or withdraw a change request</source>
        <translation>only the requester and the plan&apos;s owner submit or withdraw a change request</translation>
    </message>
    <message>
        <source>this field is written by the server only</source>
        <translation>this field is written by the server only</translation>
    </message>
    <message>
        <source>only an admin changes the organisation</source>
        <translation>only an admin changes the organisation</translation>
    </message>
    <message>
        <source>only members of the task&apos;s lead and collaborating departments report on it</source>
        <translation>only members of the task&apos;s lead and collaborating departments report on it</translation>
    </message>
    <message>
        <source>a progress entry needs a task of this plan</source>
        <translation>a progress entry needs a task of this plan</translation>
    </message>
    <message>
        <source>only members of the task&apos;s lead and collaborating departments log its progress</source>
        <translation>only members of the task&apos;s lead and collaborating departments log its progress</translation>
    </message>
    <message>
        <source>a progress entry&apos;s author is the member who writes it</source>
        <translation>a progress entry&apos;s author is the member who writes it</translation>
    </message>
    <message>
        <source>only department heads sign off</source>
        <translation>only department heads sign off</translation>
    </message>
    <message>
        <source>a department head signs for their own department</source>
        <translation>a department head signs for their own department</translation>
    </message>
    <message>
        <source>a sign-off is signed by the member who writes it</source>
        <translation>a sign-off is signed by the member who writes it</translation>
    </message>
    <message>
        <source>only the plan&apos;s participants add to it</source>
        <translation>only the plan&apos;s participants add to it</translation>
    </message>
    <message>
        <source>the plan is archived: it and its records are read-only</source>
        <translation>the plan is archived: it and its records are read-only</translation>
    </message>
    <message>
        <source>sign in to report on tasks</source>
        <translation>sign in to report on tasks</translation>
    </message>
    <message>
        <source>you no longer have access to this plan</source>
        <translation>you no longer have access to this plan</translation>
    </message>
</context>
<context>
    <name>Enum</name>
    <message>
        <source>Draft</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>In review</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>Delayed</source>
        <translation>Delayed</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>Reached</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Missed</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Watching</source>
        <translation>Watching</translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation>Occurred</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Fulfilled</source>
        <translation>Fulfilled</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Applied</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>High</source>
        <translation>High</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Medium</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Green</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Pass</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Fail</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Wrong username or password, or your session has ended. Sign in again.</source>
        <translation>Wrong username or password, or your session has ended. Sign in again.</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your connection; your edits are kept on this device and go out when it is back.</source>
        <translation>The server cannot be reached. Check the address and your connection; your edits are kept on this device and go out when it is back.</translation>
    </message>
    <message>
        <source>The server&apos;s security certificate is not trusted, so nothing was sent. Ask your administrator to check the server&apos;s certificate.</source>
        <translation>The server&apos;s security certificate is not trusted, so nothing was sent. Ask your administrator to check the server&apos;s certificate.</translation>
    </message>
    <message>
        <source>The server address must look like https://tandem.example.com or http://host:port.</source>
        <translation>The server address must look like https://tandem.example.com or http://host:port.</translation>
    </message>
    <message>
        <source>This device&apos;s data belongs to another server or user. Start Tandem with another data folder (--replica) to sign in as someone else.</source>
        <translation>This device&apos;s data belongs to another server or user. Start Tandem with another data folder (--replica) to sign in as someone else.</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute, then try again.</source>
        <translation>Too many attempts. Wait a minute, then try again.</translation>
    </message>
    <message>
        <source>The server had a problem. Your edits are kept; try again in a moment.</source>
        <translation>The server had a problem. Your edits are kept; try again in a moment.</translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation>Sign in first.</translation>
    </message>
    <message>
        <source>It is no longer on this device (deleted, or no longer shared with you).</source>
        <translation>It is no longer on this device (deleted, or no longer shared with you).</translation>
    </message>
    <message>
        <source>That value is not allowed here: %1</source>
        <translation>That value is not allowed here: %1</translation>
    </message>
    <message>
        <source>This device could not save the data (%1). Free some space or restart Tandem.</source>
        <translation>This device could not save the data (%1). Free some space or restart Tandem.</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <source>Title</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>Background</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>Goal</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>In scope</source>
        <translation>In scope</translation>
    </message>
    <message>
        <source>Out of scope</source>
        <translation>Out of scope</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>Participating department</source>
        <translation>Participating department</translation>
    </message>
    <message>
        <source>Collaborating department</source>
        <translation>Collaborating department</translation>
    </message>
    <message>
        <source>Depends on</source>
        <translation>Depends on</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>End</source>
        <translation>End</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation>Finished on</translation>
    </message>
    <message>
        <source>Deliverable standard</source>
        <translation>Deliverable standard</translation>
    </message>
    <message>
        <source>Deliverable</source>
        <translation>Deliverable</translation>
    </message>
    <message>
        <source>Resources needed</source>
        <translation>Resources needed</translation>
    </message>
    <message>
        <source>Contingency</source>
        <translation>Contingency</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Channels</translation>
    </message>
    <message>
        <source>Escalation contact</source>
        <translation>Escalation contact</translation>
    </message>
    <message>
        <source>Escalate after (hours)</source>
        <translation>Escalate after (hours)</translation>
    </message>
    <message>
        <source>Department goal</source>
        <translation>Department goal</translation>
    </message>
    <message>
        <source>RACI</source>
        <translation>RACI</translation>
    </message>
    <message>
        <source>Parent task</source>
        <translation>Parent task</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Impact</translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation>Proposal</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>Reached on</source>
        <translation>Reached on</translation>
    </message>
    <message>
        <source>Mitigation</source>
        <translation>Mitigation</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Trigger</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Probability</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>RAG</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Response</translation>
    </message>
    <message>
        <source>Acceptance note</source>
        <translation>Acceptance note</translation>
    </message>
    <message>
        <source>Action items</source>
        <translation>Action items</translation>
    </message>
    <message>
        <source>Archived at</source>
        <translation>Archived at</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>Attendees</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Author</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Signed content</source>
        <translation>Signed content</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>Decisions</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Name shown</source>
        <translation>Name shown</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Head</translation>
    </message>
    <message>
        <source>Held on</source>
        <translation>Held on</translation>
    </message>
    <message>
        <source>Needed by</source>
        <translation>Needed by</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Next step</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Owning department</source>
        <translation>Owning department</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Posted at</source>
        <translation>Posted at</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Proposed solution</source>
        <translation>Proposed solution</translation>
    </message>
    <message>
        <source>Providing department</source>
        <translation>Providing department</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>Rectification</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <source>Rectify by</source>
        <translation>Rectify by</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>Reported at</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>Reported by</translation>
    </message>
    <message>
        <source>Requested at</source>
        <translation>Requested at</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <source>Requesting department</source>
        <translation>Requesting department</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>Resolved at</translation>
    </message>
    <message>
        <source>Responded at</source>
        <translation>Responded at</translation>
    </message>
    <message>
        <source>Retrospective</source>
        <translation>Retrospective</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Roles</translation>
    </message>
    <message>
        <source>Signed at</source>
        <translation>Signed at</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>Solution</translation>
    </message>
    <message>
        <source>Out of date</source>
        <translation>Out of date</translation>
    </message>
    <message>
        <source>Signed item</source>
        <translation>Signed item</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
</context>
<context>
    <name>HqPage</name>
    <message>
        <source>HQ overview</source>
        <translation>HQ overview</translation>
    </message>
    <message>
        <source>Every department across the plans on this device</source>
        <translation>Every department across the plans on this device</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Overdue tasks</source>
        <translation>Overdue tasks</translation>
    </message>
    <message>
        <source>Open problems</source>
        <translation>Open problems</translation>
    </message>
    <message>
        <source>Missing sign-offs</source>
        <translation>Missing sign-offs</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>RAG</translation>
    </message>
    <message>
        <source>No plans on this device</source>
        <translation>No plans on this device</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Saved on this device. It goes out when you are back online.</source>
        <translation>Saved on this device. It goes out when you are back online.</translation>
    </message>
    <message>
        <source>Saved. Sending it now.</source>
        <translation>Saved. Sending it now.</translation>
    </message>
    <message>
        <source>Signed on this device. The signature goes out when you are back online.</source>
        <translation>Signed on this device. The signature goes out when you are back online.</translation>
    </message>
    <message>
        <source>Signed. Sending the signature now.</source>
        <translation>Signed. Sending the signature now.</translation>
    </message>
    <message>
        <source>The value is back. Your edit goes out with the next sync.</source>
        <translation>The value is back. Your edit goes out with the next sync.</translation>
    </message>
</context>
<context>
    <name>MyWorkPage</name>
    <message>
        <source>Release to sync</source>
        <translation>Release to sync</translation>
    </message>
    <message>
        <source>Pull to sync</source>
        <translation>Pull to sync</translation>
    </message>
    <message>
        <source>My work</source>
        <translation>My work</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n task(s) late or due within 7 working days</source>
        <translation>
            <numerusform>%1 · %n task late or due within 7 working days</numerusform>
            <numerusform>%1 · %n tasks late or due within 7 working days</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing due in the next 7 working days</source>
        <translation>Nothing due in the next 7 working days</translation>
    </message>
    <message>
        <source>Tasks you own or lead show up here when they are late or due soon.</source>
        <translation>Tasks you own or lead show up here when they are late or due soon.</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>Due %1</translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s) late</source>
        <translation>
            <numerusform>%n working day late</numerusform>
            <numerusform>%n working days late</numerusform>
        </translation>
    </message>
    <message>
        <source>due today</source>
        <translation>due today</translation>
    </message>
    <message numerus="yes">
        <source>in %n working day(s)</source>
        <translation>
            <numerusform>in %n working day</numerusform>
            <numerusform>in %n working days</numerusform>
        </translation>
    </message>
    <message>
        <source>Progress %1</source>
        <translation>Progress %1</translation>
    </message>
    <message>
        <source>Log progress</source>
        <translation>Log progress</translation>
    </message>
    <message>
        <source>Log progress on %1</source>
        <translation>Log progress on %1</translation>
    </message>
    <message>
        <source>Waiting for you</source>
        <translation>Waiting for you</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>since %1</translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation>Open plan</translation>
    </message>
    <message>
        <source>Open the plan of %1</source>
        <translation>Open the plan of %1</translation>
    </message>
</context>
<context>
    <name>PageHeader</name>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>PlanPage</name>
    <message>
        <source>Led by %1 · owner %2</source>
        <translation>Led by %1 · owner %2</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Tasks (%1)</source>
        <translation>Tasks (%1)</translation>
    </message>
    <message>
        <source>Milestones</source>
        <translation>Milestones</translation>
    </message>
    <message>
        <source>Risks</source>
        <translation>Risks</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>Sign-offs</source>
        <translation>Sign-offs</translation>
    </message>
    <message>
        <source>Warnings (风险预警)</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>Goal (SMART)</source>
        <translation>Goal (SMART)</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>%1 done on average</source>
        <translation>%1 done on average</translation>
    </message>
    <message>
        <source>Background and scope</source>
        <translation>Background and scope</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>Background</translation>
    </message>
    <message>
        <source>In scope</source>
        <translation>In scope</translation>
    </message>
    <message>
        <source>Out of scope</source>
        <translation>Out of scope</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>Dates</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>Departments</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>Lead department</translation>
    </message>
    <message>
        <source>Participating departments</source>
        <translation>Participating departments</translation>
    </message>
    <message>
        <source>Goal of %1</source>
        <translation>Goal of %1</translation>
    </message>
    <message>
        <source>Communication and escalation</source>
        <translation>Communication and escalation</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Meetings</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Channels</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>Escalation</translation>
    </message>
    <message numerus="yes">
        <source>Unresolved problems go to %1 after %n hour(s)</source>
        <translation>
            <numerusform>Unresolved problems go to %1 after %n hour</numerusform>
            <numerusform>Unresolved problems go to %1 after %n hours</numerusform>
        </translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>due %1</translation>
    </message>
    <message>
        <source>Update %1</source>
        <translation>Update %1</translation>
    </message>
    <message>
        <source>Update progress, status or finish date</source>
        <translation>Update progress, status or finish date</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>Due %1</translation>
    </message>
    <message>
        <source>reached %1</source>
        <translation>reached %1</translation>
    </message>
    <message>
        <source>No milestones</source>
        <translation>No milestones</translation>
    </message>
    <message>
        <source>Impact %1 · probability %2 · %3</source>
        <translation>Impact %1 · probability %2 · %3</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Trigger</translation>
    </message>
    <message>
        <source>Mitigation</source>
        <translation>Mitigation</translation>
    </message>
    <message>
        <source>No risks recorded</source>
        <translation>No risks recorded</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Problem (问题反馈)</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>Solution</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Next step</translation>
    </message>
    <message>
        <source>No progress reported yet</source>
        <translation>No progress reported yet</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Out of date</source>
        <translation>Out of date</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>Current</translation>
    </message>
    <message>
        <source>No sign-offs yet</source>
        <translation>No sign-offs yet</translation>
    </message>
    <message numerus="yes">
        <source>Show all %n warning(s)</source>
        <translation>
            <numerusform>Show the %n warning</numerusform>
            <numerusform>Show all %n warnings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanRole</name>
    <message>
        <source>Plan owner</source>
        <translation>Plan owner</translation>
    </message>
    <message>
        <source>Head of the lead department</source>
        <translation>Head of the lead department</translation>
    </message>
    <message>
        <source>Head of a participating department</source>
        <translation>Head of a participating department</translation>
    </message>
    <message>
        <source>In the lead department</source>
        <translation>In the lead department</translation>
    </message>
    <message>
        <source>In a participating department</source>
        <translation>In a participating department</translation>
    </message>
    <message>
        <source>HQ</source>
        <translation>HQ</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
</context>
<context>
    <name>PlansPage</name>
    <message>
        <source>Plans</source>
        <translation>Plans</translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s)</source>
        <translation>
            <numerusform>%n plan</numerusform>
            <numerusform>%n plans</numerusform>
        </translation>
    </message>
    <message>
        <source>Search plans by title</source>
        <translation>Search plans by title</translation>
    </message>
    <message>
        <source>Search plans</source>
        <translation>Search plans</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Any status</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>In review</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>Filter by RAG</source>
        <translation>Filter by RAG</translation>
    </message>
    <message>
        <source>Any RAG</source>
        <translation>Any RAG</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Green</translation>
    </message>
    <message>
        <source>Filter by department</source>
        <translation>Filter by department</translation>
    </message>
    <message>
        <source>Any department</source>
        <translation>Any department</translation>
    </message>
    <message>
        <source>Led by %1</source>
        <translation>Led by %1</translation>
    </message>
    <message>
        <source>Progress %1</source>
        <translation>Progress %1</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n late task(s)</source>
        <translation>
            <numerusform>%n late task</numerusform>
            <numerusform>%n late tasks</numerusform>
        </translation>
    </message>
    <message>
        <source>Open plan %1</source>
        <translation>Open plan %1</translation>
    </message>
    <message>
        <source>No plans yet</source>
        <translation>No plans yet</translation>
    </message>
    <message>
        <source>No plan matches</source>
        <translation>No plan matches</translation>
    </message>
    <message>
        <source>Plans your departments take part in appear here after a sync.</source>
        <translation>Plans your departments take part in appear here after a sync.</translation>
    </message>
    <message>
        <source>Change the search or the filters.</source>
        <translation>Change the search or the filters.</translation>
    </message>
</context>
<context>
    <name>ProgressSheet</name>
    <message>
        <source>Log progress</source>
        <translation>Log progress</translation>
    </message>
    <message>
        <source>New progress %1</source>
        <translation>New progress %1</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unchanged</translation>
    </message>
    <message>
        <source>was %1</source>
        <translation>was %1</translation>
    </message>
    <message>
        <source>Progress in percent</source>
        <translation>Progress in percent</translation>
    </message>
    <message>
        <source>+10%</source>
        <translation>+10%</translation>
    </message>
    <message>
        <source>Done (100%)</source>
        <translation>Done (100%)</translation>
    </message>
    <message>
        <source>Add 10 percent</source>
        <translation>Add 10 percent</translation>
    </message>
    <message>
        <source>Set %1</source>
        <translation>Set %1</translation>
    </message>
    <message>
        <source>What was done (optional)</source>
        <translation>What was done (optional)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Report a problem or the next step</source>
        <translation>Report a problem or the next step</translation>
    </message>
    <message>
        <source>Problem (问题反馈)</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Proposed solution</source>
        <translation>Proposed solution</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>Solution</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Next step</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Save progress</source>
        <translation>Save progress</translation>
    </message>
</context>
<context>
    <name>RagBadge</name>
    <message>
        <source>Red</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>Green</translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation>Status %1</translation>
    </message>
</context>
<context>
    <name>Rejected</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Rejected edits</source>
        <translation>Rejected edits</translation>
    </message>
    <message>
        <source>The server refused these edits; the fields show the server&apos;s values again.</source>
        <translation>The server refused these edits; the fields show the server&apos;s values again.</translation>
    </message>
    <message>
        <source>%1 “%2” — %3</source>
        <translation>%1 “%2” — %3</translation>
    </message>
    <message>
        <source>You wrote</source>
        <translation>You wrote</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>Refused because (%1)</source>
        <translation>Refused because (%1)</translation>
    </message>
    <message>
        <source>It shows now</source>
        <translation>It shows now</translation>
    </message>
    <message>
        <source>No rejected edits</source>
        <translation>No rejected edits</translation>
    </message>
    <message>
        <source>Everything you sent was accepted.</source>
        <translation>Everything you sent was accepted.</translation>
    </message>
    <message>
        <source>%1 “%2”</source>
        <translation>%1 “%2”</translation>
    </message>
    <message>
        <source>Not kept: the server did not accept this record, so it is on no device</source>
        <translation>Not kept: the server did not accept this record, so it is on no device</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Sign out?</source>
        <translation>Sign out?</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) have not reached the server yet. They stay on this device and go out the next time you sign in here as %1.</source>
        <translation>
            <numerusform>%n edit has not reached the server yet. It stays on this device and goes out the next time you sign in here as %1.</numerusform>
            <numerusform>%n edits have not reached the server yet. They stay on this device and go out the next time you sign in here as %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Signed in as</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Data on this device</source>
        <translation>Data on this device</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Waiting to send</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s)</source>
        <translation>
            <numerusform>%n edit</numerusform>
            <numerusform>%n edits</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>More</source>
        <translation>More</translation>
    </message>
    <message>
        <source>Rejected edits (%1)</source>
        <translation>Rejected edits (%1)</translation>
    </message>
    <message>
        <source>Rejected edits</source>
        <translation>Rejected edits</translation>
    </message>
    <message>
        <source>HQ overview</source>
        <translation>HQ overview</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Cross-department plans, in step — online or offline.</source>
        <translation>Cross-department plans, in step — online or offline.</translation>
    </message>
    <message>
        <source>Your session has ended: sign in again</source>
        <translation>Your session has ended: sign in again</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Keep working offline</source>
        <translation>Keep working offline</translation>
    </message>
    <message>
        <source>Data on this device: %1</source>
        <translation>Data on this device: %1</translation>
    </message>
</context>
<context>
    <name>SignOffSheet</name>
    <message>
        <source>Sign off</source>
        <translation>Sign off</translation>
    </message>
    <message>
        <source>For %1, as %2</source>
        <translation>For %1, as %2</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>The plan can go ahead as it stands</source>
        <translation>The plan can go ahead as it stands</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>It needs changes before it can go ahead</source>
        <translation>It needs changes before it can go ahead</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Acknowledge</translation>
    </message>
    <message>
        <source>My department has read it and confirms its part</source>
        <translation>My department has read it and confirms its part</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>Comment (optional)</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Your password, to sign</source>
        <translation>Your password, to sign</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Sign</translation>
    </message>
    <message>
        <source>Sign with password</source>
        <translation>Sign with password</translation>
    </message>
</context>
<context>
    <name>SyncBar</name>
    <message>
        <source>Not signed in</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>Sign in again to sync</source>
        <translation>Sign in again to sync</translation>
    </message>
    <message>
        <source>Sending %1 of %2 changes…</source>
        <translation>Sending %1 of %2 changes…</translation>
    </message>
    <message>
        <source>Receiving %1 of %2 changes…</source>
        <translation>Receiving %1 of %2 changes…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting to send</source>
        <translation>
            <numerusform>%n edit waiting to send</numerusform>
            <numerusform>%n edits waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <source>your edits are saved on this device</source>
        <translation>your edits are saved on this device</translation>
    </message>
    <message>
        <source>synced %1</source>
        <translation>synced %1</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>not synced yet</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) refused by the server</source>
        <translation>
            <numerusform>%n edit refused by the server</numerusform>
            <numerusform>%n edits refused by the server</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>Sign in again</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Sync progress</translation>
    </message>
</context>
<context>
    <name>TaskEditSheet</name>
    <message>
        <source>Not started</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In progress</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Delayed</source>
        <translation>Delayed</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Blocked</translation>
    </message>
    <message>
        <source>Update task</source>
        <translation>Update task</translation>
    </message>
    <message>
        <source>Progress: %1</source>
        <translation>Progress: %1</translation>
    </message>
    <message>
        <source>Progress in percent</source>
        <translation>Progress in percent</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Finished on (YYYY-MM-DD)</source>
        <translation>Finished on (YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>not finished</source>
        <translation>not finished</translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation>Finished on</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Finished today</source>
        <translation>Finished today</translation>
    </message>
    <message>
        <source>Note (saved as a progress report)</source>
        <translation>Note (saved as a progress report)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Save task</source>
        <translation>Save task</translation>
    </message>
</context>
<context>
    <name>Type</name>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>Milestone</source>
        <translation>Milestone</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>Risk</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Resource request</source>
        <translation>Resource request</translation>
    </message>
    <message>
        <source>Change request</source>
        <translation>Change request</translation>
    </message>
    <message>
        <source>Progress report</source>
        <translation>Progress report</translation>
    </message>
    <message>
        <source>Sign-off</source>
        <translation>Sign-off</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Comment</translation>
    </message>
    <message>
        <source>Meeting record</source>
        <translation>Meeting record</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Member</translation>
    </message>
</context>
<context>
    <name>Value</name>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>tandem::app::AppController</name>
    <message>
        <source>Enter the server address, your username and your password.</source>
        <translation>Enter the server address, your username and your password.</translation>
    </message>
    <message>
        <source>Wrong password: nothing was signed.</source>
        <translation>Wrong password: nothing was signed.</translation>
    </message>
</context>
</TS>
