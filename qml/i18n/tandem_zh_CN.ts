<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppNavigation</name>
    <message>
        <source>My work</source>
        <translation>我的工作</translation>
    </message>
    <message>
        <source>Plans</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Rejected edits</source>
        <translation>被拒绝的修改</translation>
    </message>
    <message>
        <source>HQ overview</source>
        <translation>总部概览</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
</context>
<context>
    <name>ApprovalsPage</name>
    <message>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting for your signature (签字确认)</source>
        <translation>
            <numerusform>%n 项待您签字确认</numerusform>
        </translation>
    </message>
    <message>
        <source>Department heads sign plans and change requests here.</source>
        <translation>部门负责人在此对计划和变更申请签字确认。</translation>
    </message>
    <message>
        <source>for %1</source>
        <translation>签字部门：%1</translation>
    </message>
    <message>
        <source>Your department&apos;s sign-off (%1, %2) is out of date: the content changed since.</source>
        <translation>本部门 %2 的签字（%1）已失效：此后内容有变更。</translation>
    </message>
    <message>
        <source>Changes as this device knows them:</source>
        <translation>本设备已知的变更：</translation>
    </message>
    <message>
        <source>%1 — %2: %3 → %4</source>
        <translation>%1 — %2：%3 → %4</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Approve %1</source>
        <translation>批准“%1”</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Acknowledge %1</source>
        <translation>确认“%1”</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Reject %1</source>
        <translation>驳回“%1”</translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation>打开计划</translation>
    </message>
    <message>
        <source>Open the plan %1</source>
        <translation>打开计划“%1”</translation>
    </message>
    <message>
        <source>Nothing to sign</source>
        <translation>暂无待签字事项</translation>
    </message>
    <message>
        <source>Plans and change requests in review appear here until your department has signed them.</source>
        <translation>审核中的计划和变更申请会显示在这里，直到本部门签字确认。</translation>
    </message>
    <message>
        <source>Only department heads sign off.</source>
        <translation>只有部门负责人可以签字确认。</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <source>You (this device)</source>
        <translation>您（本设备）</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Values someone overwrote while you were both editing</source>
        <translation>同时编辑时被他人覆盖的内容</translation>
    </message>
    <message>
        <source>%1 “%2” — %3</source>
        <translation>%1“%2”— %3</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>%1 — by %2, %3</source>
        <translation>%1 — %2，%3</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Overwritten</source>
        <translation>被覆盖</translation>
    </message>
    <message>
        <source>Restore “%1”</source>
        <translation>恢复“%1”</translation>
    </message>
    <message>
        <source>Restore the overwritten value of %1</source>
        <translation>恢复%1被覆盖的值</translation>
    </message>
    <message>
        <source>Keep current</source>
        <translation>保留当前值</translation>
    </message>
    <message>
        <source>Keep the current value of %1</source>
        <translation>保留%1的当前值</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>暂无冲突</translation>
    </message>
    <message>
        <source>When someone else&apos;s edit overwrites a value in a task or plan you own or are accountable for, it shows here.</source>
        <translation>他人的修改覆盖了您负责的任务或计划中的内容时，会显示在这里。</translation>
    </message>
</context>
<context>
    <name>CoreMessage</name>
    <message>
        <source>the plan is published: its content changes only through an approved change request</source>
        <translation>计划已发布：内容只能通过已批准的变更申请修改</translation>
    </message>
    <message>
        <source>only a department head or an admin creates plans</source>
        <translation>只有部门负责人或管理员可以创建计划</translation>
    </message>
    <message>
        <source>a department head creates plans that their own department leads</source>
        <translation>部门负责人只能创建由本部门牵头的计划</translation>
    </message>
    <message>
        <source>the creator of a plan becomes its owner</source>
        <translation>计划的创建人即为计划负责人</translation>
    </message>
    <message>
        <source>a new plan starts as a draft</source>
        <translation>新建计划须为草稿状态</translation>
    </message>
    <message>
        <source>you cannot read this plan</source>
        <translation>您无权查看此计划</translation>
    </message>
    <message>
        <source>only the plan&apos;s owner and the lead department&apos;s head change the plan</source>
        <translation>只有计划负责人和牵头部门负责人可以修改计划</translation>
    </message>
    <message>
        <source>only the plan&apos;s owner changes its status</source>
        <translation>只有计划负责人可以更改计划状态</translation>
    </message>
    <message>
        <source>only the server marks a plan approved</source>
        <translation>只有服务器可以将计划标记为已批准</translation>
    </message>
    <message>
        <source>the plan&apos;s approvals are not current: it needs re-approval before publishing</source>
        <translation>计划的审批已失效：发布前需重新审批</translation>
    </message>
    <message>
        <source>only the server marks a change request approved or rejected, from its sign-offs</source>
        <translation>变更申请的批准或驳回只能由服务器根据签字确认结果标记</translation>
    </message>
    <message>
        <source>only the plan&apos;s owner applies a change request</source>
        <translation>只有计划负责人可以执行变更申请</translation>
    </message>
    <message>
        <source>only an approved change request is applied</source>
        <translation>只有已批准的变更申请才能执行</translation>
    </message>
    <message>
        <source>only the requester and the plan&apos;s owner submit or withdraw a change request</source>
        <translation>只有申请人和计划负责人可以提交或撤回变更申请</translation>
    </message>
    <message>
        <source>this field is written by the server only</source>
        <translation>此字段只能由服务器写入</translation>
    </message>
    <message>
        <source>only an admin changes the organisation</source>
        <translation>只有管理员可以修改组织架构</translation>
    </message>
    <message>
        <source>only members of the task&apos;s lead and collaborating departments report on it</source>
        <translation>只有任务牵头部门和配合部门的成员可以反馈该任务</translation>
    </message>
    <message>
        <source>a progress entry needs a task of this plan</source>
        <translation>进度记录必须关联本计划的任务</translation>
    </message>
    <message>
        <source>only members of the task&apos;s lead and collaborating departments log its progress</source>
        <translation>只有任务牵头部门和配合部门的成员可以填报进度</translation>
    </message>
    <message>
        <source>a progress entry&apos;s author is the member who writes it</source>
        <translation>进度记录只能由填报人本人提交</translation>
    </message>
    <message>
        <source>only department heads sign off</source>
        <translation>只有部门负责人可以签字确认</translation>
    </message>
    <message>
        <source>a department head signs for their own department</source>
        <translation>部门负责人只能代表本部门签字</translation>
    </message>
    <message>
        <source>a sign-off is signed by the member who writes it</source>
        <translation>签字确认只能由签字人本人提交</translation>
    </message>
    <message>
        <source>only the plan&apos;s participants add to it</source>
        <translation>只有计划的参与者可以添加内容</translation>
    </message>
    <message>
        <source>the plan is archived: it and its records are read-only</source>
        <translation>计划已归档：计划及其记录均为只读</translation>
    </message>
    <message>
        <source>sign in to report on tasks</source>
        <translation>请登录后再反馈任务</translation>
    </message>
    <message>
        <source>you no longer have access to this plan</source>
        <translation>您已无权访问此计划</translation>
    </message>
</context>
<context>
    <name>Enum</name>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>审核中</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Delayed</source>
        <translation>延期</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>受阻</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>Reached</source>
        <translation>已达成</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>未达成</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Watching</source>
        <translation>观察中</translation>
    </message>
    <message>
        <source>Occurred</source>
        <translation>已发生</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Fulfilled</source>
        <translation>已满足</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>已执行</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>关键</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红灯</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄灯</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿灯</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已通过</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不通过</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Wrong username or password, or your session has ended. Sign in again.</source>
        <translation>用户名或密码错误，或登录已过期，请重新登录。</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your connection; your edits are kept on this device and go out when it is back.</source>
        <translation>无法连接服务器。请检查地址和网络；您的修改已保存在本设备，连接恢复后自动发送。</translation>
    </message>
    <message>
        <source>The server&apos;s security certificate is not trusted, so nothing was sent. Ask your administrator to check the server&apos;s certificate.</source>
        <translation>服务器的安全证书不受信任，未发送任何数据。请联系管理员检查服务器证书。</translation>
    </message>
    <message>
        <source>The server address must look like https://tandem.example.com or http://host:port.</source>
        <translation>服务器地址格式应为 https://tandem.example.com 或 http://host:port。</translation>
    </message>
    <message>
        <source>This device&apos;s data belongs to another server or user. Start Tandem with another data folder (--replica) to sign in as someone else.</source>
        <translation>本设备的数据属于其他服务器或用户。如需以其他用户登录，请用其他数据目录（--replica）启动 Tandem。</translation>
    </message>
    <message>
        <source>Too many attempts. Wait a minute, then try again.</source>
        <translation>尝试次数过多，请一分钟后再试。</translation>
    </message>
    <message>
        <source>The server had a problem. Your edits are kept; try again in a moment.</source>
        <translation>服务器出错。您的修改已保留，请稍后重试。</translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <source>It is no longer on this device (deleted, or no longer shared with you).</source>
        <translation>本设备上已没有该内容（已删除或不再与您共享）。</translation>
    </message>
    <message>
        <source>That value is not allowed here: %1</source>
        <translation>此处不允许该值：%1</translation>
    </message>
    <message>
        <source>This device could not save the data (%1). Free some space or restart Tandem.</source>
        <translation>本设备无法保存数据（%1）。请清理存储空间或重启 Tandem。</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Goal</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>衡量指标</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标值</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>In scope</source>
        <translation>包含范围</translation>
    </message>
    <message>
        <source>Out of scope</source>
        <translation>不包含范围</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>牵头部门</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Participating department</source>
        <translation>参与部门</translation>
    </message>
    <message>
        <source>Collaborating department</source>
        <translation>配合部门</translation>
    </message>
    <message>
        <source>Depends on</source>
        <translation>前置任务</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>计划完成日期</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation>实际完成日期</translation>
    </message>
    <message>
        <source>Deliverable standard</source>
        <translation>交付标准</translation>
    </message>
    <message>
        <source>Deliverable</source>
        <translation>交付成果</translation>
    </message>
    <message>
        <source>Resources needed</source>
        <translation>所需资源</translation>
    </message>
    <message>
        <source>Contingency</source>
        <translation>风险预案</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>例会安排</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>沟通渠道</translation>
    </message>
    <message>
        <source>Escalation contact</source>
        <translation>升级联系人</translation>
    </message>
    <message>
        <source>Escalate after (hours)</source>
        <translation>升级时限（小时）</translation>
    </message>
    <message>
        <source>Department goal</source>
        <translation>部门子目标</translation>
    </message>
    <message>
        <source>RACI</source>
        <translation>RACI</translation>
    </message>
    <message>
        <source>Parent task</source>
        <translation>上级任务</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>影响</translation>
    </message>
    <message>
        <source>Proposal</source>
        <translation>调整建议</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Reached on</source>
        <translation>达成日期</translation>
    </message>
    <message>
        <source>Mitigation</source>
        <translation>应对措施</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>触发条件</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>发生概率</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>状态灯</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Acceptance note</source>
        <translation>验收意见</translation>
    </message>
    <message>
        <source>Action items</source>
        <translation>行动项</translation>
    </message>
    <message>
        <source>Archived at</source>
        <translation>归档时间</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>参会人</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>填报人</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Signed content</source>
        <translation>签字内容</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>决议</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Name shown</source>
        <translation>显示名</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Held on</source>
        <translation>召开日期</translation>
    </message>
    <message>
        <source>Needed by</source>
        <translation>需求日期</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步计划</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>纪要</translation>
    </message>
    <message>
        <source>Owning department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Posted at</source>
        <translation>发布时间</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Proposed solution</source>
        <translation>建议方案</translation>
    </message>
    <message>
        <source>Providing department</source>
        <translation>提供部门</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Rectification</source>
        <translation>整改要求</translation>
    </message>
    <message>
        <source>Rectify by</source>
        <translation>整改期限</translation>
    </message>
    <message>
        <source>Reported at</source>
        <translation>填报时间</translation>
    </message>
    <message>
        <source>Reported by</source>
        <translation>反馈人</translation>
    </message>
    <message>
        <source>Requested at</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Requesting department</source>
        <translation>申请部门</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>解决时间</translation>
    </message>
    <message>
        <source>Responded at</source>
        <translation>答复时间</translation>
    </message>
    <message>
        <source>Retrospective</source>
        <translation>复盘总结</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Signed at</source>
        <translation>签字时间</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>签字人</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解决措施</translation>
    </message>
    <message>
        <source>Out of date</source>
        <translation>已失效</translation>
    </message>
    <message>
        <source>Signed item</source>
        <translation>签字对象</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
</context>
<context>
    <name>HqPage</name>
    <message>
        <source>HQ overview</source>
        <translation>总部概览</translation>
    </message>
    <message>
        <source>Every department across the plans on this device</source>
        <translation>本设备上各计划涉及的所有部门</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Overdue tasks</source>
        <translation>逾期任务</translation>
    </message>
    <message>
        <source>Open problems</source>
        <translation>未解决问题</translation>
    </message>
    <message>
        <source>Missing sign-offs</source>
        <translation>缺少签字</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>预警</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>状态灯</translation>
    </message>
    <message>
        <source>No plans on this device</source>
        <translation>本设备上暂无计划</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Saved on this device. It goes out when you are back online.</source>
        <translation>已保存在本设备，恢复在线后自动发送。</translation>
    </message>
    <message>
        <source>Saved. Sending it now.</source>
        <translation>已保存，正在发送。</translation>
    </message>
    <message>
        <source>Signed on this device. The signature goes out when you are back online.</source>
        <translation>已在本设备签字，恢复在线后自动发送。</translation>
    </message>
    <message>
        <source>Signed. Sending the signature now.</source>
        <translation>已签字，正在发送。</translation>
    </message>
    <message>
        <source>The value is back. Your edit goes out with the next sync.</source>
        <translation>已恢复该值，将在下次同步时发送。</translation>
    </message>
</context>
<context>
    <name>MyWorkPage</name>
    <message>
        <source>Release to sync</source>
        <translation>松开即同步</translation>
    </message>
    <message>
        <source>Pull to sync</source>
        <translation>下拉同步</translation>
    </message>
    <message>
        <source>My work</source>
        <translation>我的工作</translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n task(s) late or due within 7 working days</source>
        <translation>
            <numerusform>%1 · %n 项任务已逾期或 7 个工作日内到期</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing due in the next 7 working days</source>
        <translation>未来 7 个工作日内没有到期任务</translation>
    </message>
    <message>
        <source>Tasks you own or lead show up here when they are late or due soon.</source>
        <translation>您负责或牵头的任务逾期或即将到期时，会显示在这里。</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>截止 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n working day(s) late</source>
        <translation>
            <numerusform>逾期 %n 个工作日</numerusform>
        </translation>
    </message>
    <message>
        <source>due today</source>
        <translation>今天到期</translation>
    </message>
    <message numerus="yes">
        <source>in %n working day(s)</source>
        <translation>
            <numerusform>%n 个工作日后到期</numerusform>
        </translation>
    </message>
    <message>
        <source>Progress %1</source>
        <translation>进度 %1</translation>
    </message>
    <message>
        <source>Log progress</source>
        <translation>填报进度</translation>
    </message>
    <message>
        <source>Log progress on %1</source>
        <translation>填报“%1”的进度</translation>
    </message>
    <message>
        <source>Waiting for you</source>
        <translation>待您处理</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>自 %1 起</translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation>打开计划</translation>
    </message>
    <message>
        <source>Open the plan of %1</source>
        <translation>打开“%1”所属的计划</translation>
    </message>
</context>
<context>
    <name>PageHeader</name>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>PlanPage</name>
    <message>
        <source>Led by %1 · owner %2</source>
        <translation>%1牵头 · 负责人 %2</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Tasks (%1)</source>
        <translation>任务（%1）</translation>
    </message>
    <message>
        <source>Milestones</source>
        <translation>里程碑</translation>
    </message>
    <message>
        <source>Risks</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Sign-offs</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Warnings (风险预警)</source>
        <translation>风险预警</translation>
    </message>
    <message>
        <source>Goal (SMART)</source>
        <translation>目标（SMART）</translation>
    </message>
    <message>
        <source>What</source>
        <translation>具体目标</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>衡量指标</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标值</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>%1 done on average</source>
        <translation>平均完成 %1</translation>
    </message>
    <message>
        <source>Background and scope</source>
        <translation>背景与范围</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>In scope</source>
        <translation>包含范围</translation>
    </message>
    <message>
        <source>Out of scope</source>
        <translation>不包含范围</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Lead department</source>
        <translation>牵头部门</translation>
    </message>
    <message>
        <source>Participating departments</source>
        <translation>参与部门</translation>
    </message>
    <message>
        <source>Goal of %1</source>
        <translation>%1子目标</translation>
    </message>
    <message>
        <source>Communication and escalation</source>
        <translation>沟通与问题升级</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>例会安排</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>沟通渠道</translation>
    </message>
    <message>
        <source>Escalation</source>
        <translation>问题升级</translation>
    </message>
    <message numerus="yes">
        <source>Unresolved problems go to %1 after %n hour(s)</source>
        <translation>
            <numerusform>问题超过 %n 小时未解决，升级至 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>截止 %1</translation>
    </message>
    <message>
        <source>Update %1</source>
        <translation>更新“%1”</translation>
    </message>
    <message>
        <source>Update progress, status or finish date</source>
        <translation>更新进度、状态或完成日期</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>截止 %1</translation>
    </message>
    <message>
        <source>reached %1</source>
        <translation>%1 达成</translation>
    </message>
    <message>
        <source>No milestones</source>
        <translation>暂无里程碑</translation>
    </message>
    <message>
        <source>Impact %1 · probability %2 · %3</source>
        <translation>影响 %1 · 概率 %2 · %3</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>触发条件</translation>
    </message>
    <message>
        <source>Mitigation</source>
        <translation>应对措施</translation>
    </message>
    <message>
        <source>No risks recorded</source>
        <translation>暂无风险记录</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Problem (问题反馈)</source>
        <translation>问题反馈</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>No progress reported yet</source>
        <translation>暂无进度记录</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
    <message>
        <source>Out of date</source>
        <translation>已失效</translation>
    </message>
    <message>
        <source>Current</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>No sign-offs yet</source>
        <translation>暂无签字</translation>
    </message>
    <message numerus="yes">
        <source>Show all %n warning(s)</source>
        <translation>
            <numerusform>显示全部 %n 条预警</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlanRole</name>
    <message>
        <source>Plan owner</source>
        <translation>计划负责人</translation>
    </message>
    <message>
        <source>Head of the lead department</source>
        <translation>牵头部门负责人</translation>
    </message>
    <message>
        <source>Head of a participating department</source>
        <translation>参与部门负责人</translation>
    </message>
    <message>
        <source>In the lead department</source>
        <translation>牵头部门成员</translation>
    </message>
    <message>
        <source>In a participating department</source>
        <translation>参与部门成员</translation>
    </message>
    <message>
        <source>HQ</source>
        <translation>总部</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>PlansPage</name>
    <message>
        <source>Plans</source>
        <translation>计划</translation>
    </message>
    <message numerus="yes">
        <source>%n plan(s)</source>
        <translation>
            <numerusform>%n 个计划</numerusform>
        </translation>
    </message>
    <message>
        <source>Search plans by title</source>
        <translation>按标题搜索计划</translation>
    </message>
    <message>
        <source>Search plans</source>
        <translation>搜索计划</translation>
    </message>
    <message>
        <source>Filter by status</source>
        <translation>按状态筛选</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>In review</source>
        <translation>审核中</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <source>Filter by RAG</source>
        <translation>按状态灯筛选</translation>
    </message>
    <message>
        <source>Any RAG</source>
        <translation>全部状态灯</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红灯</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄灯</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿灯</translation>
    </message>
    <message>
        <source>Filter by department</source>
        <translation>按部门筛选</translation>
    </message>
    <message>
        <source>Any department</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>Led by %1</source>
        <translation>%1牵头</translation>
    </message>
    <message>
        <source>Progress %1</source>
        <translation>进度 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n 条预警</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n late task(s)</source>
        <translation>
            <numerusform>%n 项任务逾期</numerusform>
        </translation>
    </message>
    <message>
        <source>Open plan %1</source>
        <translation>打开计划“%1”</translation>
    </message>
    <message>
        <source>No plans yet</source>
        <translation>暂无计划</translation>
    </message>
    <message>
        <source>No plan matches</source>
        <translation>没有匹配的计划</translation>
    </message>
    <message>
        <source>Plans your departments take part in appear here after a sync.</source>
        <translation>同步后，您所在部门参与的计划会显示在这里。</translation>
    </message>
    <message>
        <source>Change the search or the filters.</source>
        <translation>请修改搜索或筛选条件。</translation>
    </message>
</context>
<context>
    <name>ProgressSheet</name>
    <message>
        <source>Log progress</source>
        <translation>填报进度</translation>
    </message>
    <message>
        <source>New progress %1</source>
        <translation>新进度 %1</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>was %1</source>
        <translation>原为 %1</translation>
    </message>
    <message>
        <source>Progress in percent</source>
        <translation>进度百分比</translation>
    </message>
    <message>
        <source>+10%</source>
        <translation>+10%</translation>
    </message>
    <message>
        <source>Done (100%)</source>
        <translation>已完成（100%）</translation>
    </message>
    <message>
        <source>Add 10 percent</source>
        <translation>增加 10%</translation>
    </message>
    <message>
        <source>Set %1</source>
        <translation>设为 %1</translation>
    </message>
    <message>
        <source>What was done (optional)</source>
        <translation>完成了哪些工作（选填）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Report a problem or the next step</source>
        <translation>反馈问题或下一步计划</translation>
    </message>
    <message>
        <source>Problem (问题反馈)</source>
        <translation>问题反馈</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Proposed solution</source>
        <translation>建议解决方案</translation>
    </message>
    <message>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save progress</source>
        <translation>保存进度</translation>
    </message>
</context>
<context>
    <name>RagBadge</name>
    <message>
        <source>Red</source>
        <translation>红灯</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄灯</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿灯</translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation>状态：%1</translation>
    </message>
</context>
<context>
    <name>Rejected</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>RejectedPage</name>
    <message>
        <source>Rejected edits</source>
        <translation>被拒绝的修改</translation>
    </message>
    <message>
        <source>The server refused these edits; the fields show the server&apos;s values again.</source>
        <translation>服务器拒绝了这些修改，相应内容已恢复为服务器上的值。</translation>
    </message>
    <message>
        <source>%1 “%2” — %3</source>
        <translation>%1“%2”— %3</translation>
    </message>
    <message>
        <source>You wrote</source>
        <translation>您填写的</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Refused because (%1)</source>
        <translation>拒绝原因（%1）</translation>
    </message>
    <message>
        <source>It shows now</source>
        <translation>当前显示</translation>
    </message>
    <message>
        <source>No rejected edits</source>
        <translation>没有被拒绝的修改</translation>
    </message>
    <message>
        <source>Everything you sent was accepted.</source>
        <translation>您发送的修改均已被接受。</translation>
    </message>
    <message>
        <source>%1 “%2”</source>
        <translation>%1“%2”</translation>
    </message>
    <message>
        <source>Not kept: the server did not accept this record, so it is on no device</source>
        <translation>未保留：服务器未接受这条记录，任何设备上都没有它</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Sign out?</source>
        <translation>退出登录？</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) have not reached the server yet. They stay on this device and go out the next time you sign in here as %1.</source>
        <translation>
            <numerusform>有 %n 项修改尚未发送到服务器。它们会保留在本设备上，下次您以 %1 在此登录时发送。</numerusform>
        </translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>当前账号</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Data on this device</source>
        <translation>本设备数据目录</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>待发送</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s)</source>
        <translation>
            <numerusform>%n 项修改</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Rejected edits (%1)</source>
        <translation>被拒绝的修改（%1）</translation>
    </message>
    <message>
        <source>Rejected edits</source>
        <translation>被拒绝的修改</translation>
    </message>
    <message>
        <source>HQ overview</source>
        <translation>总部概览</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Cross-department plans, in step — online or offline.</source>
        <translation>跨部门协作计划，在线离线步调一致。</translation>
    </message>
    <message>
        <source>Your session has ended: sign in again</source>
        <translation>登录已过期，请重新登录</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Keep working offline</source>
        <translation>离线继续工作</translation>
    </message>
    <message>
        <source>Data on this device: %1</source>
        <translation>本设备数据目录：%1</translation>
    </message>
</context>
<context>
    <name>SignOffSheet</name>
    <message>
        <source>Sign off</source>
        <translation>签字确认</translation>
    </message>
    <message>
        <source>For %1, as %2</source>
        <translation>代表%1，签字人：%2</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>The plan can go ahead as it stands</source>
        <translation>可按当前内容推进</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>It needs changes before it can go ahead</source>
        <translation>需修改后才能推进</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>My department has read it and confirms its part</source>
        <translation>本部门已阅，确认承担的工作</translation>
    </message>
    <message>
        <source>Comment (optional)</source>
        <translation>意见（选填）</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>Your password, to sign</source>
        <translation>输入密码以签字</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Sign with password</source>
        <translation>使用密码签字</translation>
    </message>
</context>
<context>
    <name>SyncBar</name>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Sign in again to sync</source>
        <translation>请重新登录以同步</translation>
    </message>
    <message>
        <source>Sending %1 of %2 changes…</source>
        <translation>正在发送更改 %1/%2…</translation>
    </message>
    <message>
        <source>Receiving %1 of %2 changes…</source>
        <translation>正在接收更改 %1/%2…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) waiting to send</source>
        <translation>
            <numerusform>%n 项修改待发送</numerusform>
        </translation>
    </message>
    <message>
        <source>your edits are saved on this device</source>
        <translation>修改已保存在本设备</translation>
    </message>
    <message>
        <source>synced %1</source>
        <translation>%1 已同步</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message numerus="yes">
        <source>%n edit(s) refused by the server</source>
        <translation>
            <numerusform>%n 项修改被服务器拒绝</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>同步进度</translation>
    </message>
</context>
<context>
    <name>TaskEditSheet</name>
    <message>
        <source>Not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Delayed</source>
        <translation>延期</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>受阻</translation>
    </message>
    <message>
        <source>Update task</source>
        <translation>更新任务</translation>
    </message>
    <message>
        <source>Progress: %1</source>
        <translation>进度：%1</translation>
    </message>
    <message>
        <source>Progress in percent</source>
        <translation>进度百分比</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Finished on (YYYY-MM-DD)</source>
        <translation>实际完成日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>not finished</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Finished on</source>
        <translation>实际完成日期</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Finished today</source>
        <translation>今天完成</translation>
    </message>
    <message>
        <source>Note (saved as a progress report)</source>
        <translation>备注（保存为进度记录）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save task</source>
        <translation>保存任务</translation>
    </message>
</context>
<context>
    <name>Type</name>
    <message>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Milestone</source>
        <translation>里程碑</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Resource request</source>
        <translation>资源申请</translation>
    </message>
    <message>
        <source>Change request</source>
        <translation>变更申请</translation>
    </message>
    <message>
        <source>Progress report</source>
        <translation>进度记录</translation>
    </message>
    <message>
        <source>Sign-off</source>
        <translation>签字确认</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Meeting record</source>
        <translation>会议纪要</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
</context>
<context>
    <name>Value</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>tandem::app::AppController</name>
    <message>
        <source>Enter the server address, your username and your password.</source>
        <translation>请输入服务器地址、用户名和密码。</translation>
    </message>
    <message>
        <source>Wrong password: nothing was signed.</source>
        <translation>密码错误，未签字。</translation>
    </message>
</context>
</TS>
