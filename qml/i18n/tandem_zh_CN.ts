<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppNavigation</name>
    <message>
        <source>My work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ApprovalsPage</name>
    <message>
        <source>Approvals</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for your signature (签字确认)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Department heads sign plans and change requests here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your department&apos;s %1 of %2 is out of date: the content changed since.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes as this device knows them:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2: %3 → %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the plan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plans and change requests in review appear here until your department has signed them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only department heads sign off.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>You (this device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values someone overwrote while you were both editing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 “%2” — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — by %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overwritten</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the overwritten value of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the current value of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When someone else&apos;s edit overwrites a value in a task or plan you own or are accountable for, it shows here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CoreMessage</name>
    <message>
        <source>the plan is published: its content changes only through an approved change request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only a department head or an admin creates plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a department head creates plans that their own department leads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the creator of a plan becomes its owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a new plan starts as a draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you cannot read this plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the plan&apos;s owner and the lead department&apos;s head change the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the plan&apos;s owner changes its status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the server marks a plan approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plan&apos;s approvals are not current: it needs re-approval before publishing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the server marks a change request approved or rejected, from its sign-offs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the plan&apos;s owner applies a change request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only an approved change request is applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the requester and the plan&apos;s owner submit or withdraw a change request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this field is written by the server only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only an admin changes the organisation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only members of the task&apos;s lead and collaborating departments report on it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a progress entry needs a task of this plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only members of the task&apos;s lead and collaborating departments log its progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a progress entry&apos;s author is the member who writes it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only department heads sign off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a department head signs for their own department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a sign-off is signed by the member who writes it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the plan&apos;s participants add to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plan is archived: it and its records are read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sign in to report on tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you no longer have access to this plan</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Enum</name>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delayed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fulfilled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participating department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collaborating department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Depends on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliverable standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliverable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resources needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contingency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalation contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalate after (hours)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department goal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RACI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parent task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reached on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mitigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RAG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HqPage</name>
    <message>
        <source>HQ overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every department across the plans on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue tasks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing sign-offs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RAG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No plans on this device</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Saved on this device. It goes out when you are back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved. Sending it now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed on this device. The signature goes out when you are back online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed. Sending the signature now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value is back. Your edit goes out with the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MyWorkPage</name>
    <message>
        <source>Release to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pull to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My work</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n task(s) late or due within 7 working days</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing due in the next 7 working days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks you own or lead show up here when they are late or due soon.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s) late</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>due today</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>in %n working day(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Progress %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log progress on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the plan of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PageHeader</name>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanPage</name>
    <message>
        <source>Led by %1 · owner %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tasks (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Milestones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-offs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings (风险预警)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal (SMART)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 done on average</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Background and scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of scope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Participating departments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goal of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Communication and escalation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Unresolved problems go to %1 after %n hour(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update progress, status or finish date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reached %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No milestones</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Impact %1 · probability %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mitigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No risks recorded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem (问题反馈)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No progress reported yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out of date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No sign-offs yet</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlansPage</name>
    <message>
        <source>Plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Search plans by title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archived</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by RAG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any RAG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Led by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n late task(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open plan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No plans yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No plan matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plans your departments take part in appear here after a sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the search or the filters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressSheet</name>
    <message>
        <source>Log progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New progress %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>was %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress in percent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+10%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done (100%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add 10 percent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was done (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report a problem or the next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem (问题反馈)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proposed solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save progress</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RagBadge</name>
    <message>
        <source>Red</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Green</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Rejected edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused these edits; the fields show the server&apos;s values again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 “%2” — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You wrote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused because (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It shows now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rejected edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything you sent was accepted.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Sign out?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) have not reached the server yet. They stay on this device and go out the next time you sign in here as %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected edits (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected edits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ overview</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Cross-department plans, in step — online or offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session has ended: sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep working offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data on this device: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignOffSheet</name>
    <message>
        <source>Sign off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For %1, as %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan can go ahead as it stands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It needs changes before it can go ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My department has read it and confirms its part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password, to sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign with password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncBar</name>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending %1 of %2 changes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving %1 of %2 changes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting to send</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>your edits are saved on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>synced %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) refused by the server</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TaskEditSheet</name>
    <message>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delayed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress in percent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished on (YYYY-MM-DD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note (saved as a progress report)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save task</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Type</name>
    <message>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Milestone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resource request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Progress report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meeting record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Value</name>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tandem::app</name>
    <message>
        <source>Plan owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head of the lead department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head of a participating department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the lead department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In a participating department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tandem::app::AppController</name>
    <message>
        <source>Enter the server address, your username and your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong password: nothing was signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong username or password, or your session has ended. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your connection; your edits are kept on this device and go out when it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s security certificate is not trusted, so nothing was sent. Ask your administrator to check the server&apos;s certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server address must look like https://tandem.example.com or http://host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device&apos;s data belongs to another server or user. Start Tandem with another data folder (--replica) to sign in as someone else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server had a problem. Your edits are kept; try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is no longer on this device (deleted, or no longer shared with you).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That value is not allowed here: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device could not save the data (%1). Free some space or restart Tandem.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
