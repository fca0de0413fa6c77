// Texts of the liaison pages, Chinese first.
export default {
  'zh-CN': {
    liaison: {
      nav: { mine: '我的联络', overdue: '超期提醒', officers: '联络员', rules: '联络频次' },
      mine: { title: '我的联络工作', orgs: '我负责的组织', followups: '我的待办跟进', none: '您还没有负责的组织', noFollowups: '没有待办的跟进事项' },
      stats: {
        organizations: '负责组织',
        contacts_this_month: '本月联络',
        contacts_this_quarter: '本季度联络',
        overdue_organizations: '超期组织',
        overdue_followups: '逾期跟进',
      },
      cols: {
        org: '组织', role: '分工', start_on: '开始', end_on: '结束', last_contact_on: '上次联络', due_on: '应联络日期',
        officers: '联络员', interval: '周期（天）', description: '跟进事项', owner: '负责人', followupDue: '期限', officer: '联络员', jurisdiction: '辖区',
      },
      roles: { primary: '主联络员', deputy: '副联络员' },
      kinds: { visit: '走访', call: '电话', meeting: '会议', online: '线上', other: '其他' },
      org: {
        title: '组织联络', tab: '联络', notUnder: '该组织尚未纳入联络（还没有联络员）', key: '重点组织', markKey: '设为重点组织', unmarkKey: '取消重点',
        rule: '适用规则', interval: '每 {n} 天联络一次', last: '上次联络', due: '应联络日期', overdue: '已超期', onTrack: '按期', never: '尚未联络',
        officers: '联络员', history: '历史分工', end: '结束分工', endConfirm: '确定结束该联络员的分工？', openFollowups: '待办跟进', contacts: '联络记录', noContacts: '还没有联络记录',
        logContact: '登记联络', assign: '指派联络员', active: '在岗', ended: '已结束', openFull: '打开联络页面',
      },
      contact: {
        kind: '方式', contact_on: '联络日期', summary: '情况摘要', summaryHint: '支持 Markdown', issues: '组织反映的问题', followup: '需要跟进的事项', followup_due_on: '跟进期限', followup_owner_id: '跟进负责人',
        ownerSelf: '默认为本人', submit: '保存联络记录', saved: '联络记录已保存', by: '{name} 登记', close: '办结', closeNote: '办结说明', closed: '已办结', closedOk: '跟进事项已办结', open: '待办',
      },
      assign: { user: '联络员', role: '分工', start_on: '开始日期', submit: '指派', done: '已指派' },
      overdue: {
        title: '超期提醒', orgs: '超期未联络的组织', followups: '逾期跟进事项', street: '街道', officer: '联络员', days: '超期 {n} 天', noneOrgs: '没有超期的组织', noneFollowups: '没有逾期的跟进事项',
      },
      officers: { title: '联络员及工作量', none: '还没有联络员' },
      rules: {
        title: '联络频次规则', explain: '规则的条件都满足时适用；同时适用多条时，最具体的规则生效（重点组织 > 等级 > 类型），仍相同则周期短者生效。没有条件的规则是区默认。',
        add: '新增规则', edit: '修改规则', name: '名称', org_type: '组织类型', min_grade: '等级不低于', key_only: '仅重点组织', interval_days: '周期（天）', organizations: '适用组织数',
        any: '不限', delete: '删除', deleteConfirm: '确定删除规则“{name}”？', deleted: '已删除', default: '区默认',
      },
    },
  },
  en: {
    liaison: {
      nav: { mine: 'My liaison work', overdue: 'Overdue', officers: 'Liaison officers', rules: 'Contact rules' },
      mine: { title: 'My liaison work', orgs: 'My organizations', followups: 'My open follow-ups', none: 'You look after no organization yet', noFollowups: 'No open follow-ups' },
      stats: {
        organizations: 'Organizations',
        contacts_this_month: 'Contacts this month',
        contacts_this_quarter: 'Contacts this quarter',
        overdue_organizations: 'Overdue organizations',
        overdue_followups: 'Overdue follow-ups',
      },
      cols: {
        org: 'Organization', role: 'Role', start_on: 'From', end_on: 'To', last_contact_on: 'Last contact', due_on: 'Contact due',
        officers: 'Officers', interval: 'Interval (days)', description: 'Follow-up', owner: 'Owner', followupDue: 'Due', officer: 'Officer', jurisdiction: 'Jurisdiction',
      },
      roles: { primary: 'Primary officer', deputy: 'Deputy officer' },
      kinds: { visit: 'Visit', call: 'Call', meeting: 'Meeting', online: 'Online', other: 'Other' },
      org: {
        title: 'Liaison', tab: 'Liaison', notUnder: 'The organization has no liaison officer yet', key: 'Key organization', markKey: 'Mark as key', unmarkKey: 'Unmark key',
        rule: 'Rule', interval: 'Contact every {n} days', last: 'Last contact', due: 'Contact due', overdue: 'Overdue', onTrack: 'On track', never: 'Never contacted',
        officers: 'Officers', history: 'Past assignments', end: 'End', endConfirm: 'End this officer\'s assignment?', openFollowups: 'Open follow-ups', contacts: 'Contact log', noContacts: 'No contacts yet',
        logContact: 'Log a contact', assign: 'Assign an officer', active: 'Active', ended: 'Ended', openFull: 'Open the liaison page',
      },
      contact: {
        kind: 'Kind', contact_on: 'Date', summary: 'Summary', summaryHint: 'Markdown allowed', issues: 'Issues raised', followup: 'Follow-up needed', followup_due_on: 'Follow-up due', followup_owner_id: 'Follow-up owner',
        ownerSelf: 'Yourself by default', submit: 'Save contact', saved: 'Contact saved', by: 'logged by {name}', close: 'Close', closeNote: 'Closing note', closed: 'Closed', closedOk: 'Follow-up closed', open: 'Open',
      },
      assign: { user: 'Officer', role: 'Role', start_on: 'Start date', submit: 'Assign', done: 'Assigned' },
      overdue: {
        title: 'Overdue', orgs: 'Organizations overdue for contact', followups: 'Follow-ups past due', street: 'Street', officer: 'Officer', days: '{n} days overdue', noneOrgs: 'No overdue organizations', noneFollowups: 'No follow-ups past due',
      },
      officers: { title: 'Officers and workloads', none: 'No liaison officers yet' },
      rules: {
        title: 'Contact-frequency rules', explain: 'A rule applies when all its conditions hold; the most specific applicable rule wins (key > grade > type), then the shorter interval. The rule without conditions is the district default.',
        add: 'Add rule', edit: 'Edit rule', name: 'Name', org_type: 'Organization type', min_grade: 'Grade at least', key_only: 'Key organizations only', interval_days: 'Interval (days)', organizations: 'Organizations',
        any: 'Any', delete: 'Delete', deleteConfirm: 'Delete the rule "{name}"?', deleted: 'Deleted', default: 'District default',
      },
    },
  },
};
