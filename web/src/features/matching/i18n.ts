// Texts of the matching pages (suggestions panel, allocation runs, weights), zh-CN first.
export default {
  'zh-CN': {
    match: {
      nav: '全局分配', runs: '全局分配运行', weights: '匹配权重', weightsNav: '匹配权重',
      suggestions: '推荐匹配', empty: '暂无符合条件的推荐', score: '总分', fairness: '公平系数',
      org: '组织', quantity: '数量', remaining: '剩余', part: '因素', value: '得分', weight: '权重', contribution: '贡献', reason: '理由',
      propose: '发起对接', proposeTitle: '发起对接', note: '备注', submit: '提交', cancel: '取消',
      proposed: '已发起对接', openDocking: '查看对接', details: '明细',
      start: '启动分配', categories: '类别（可选）', k: '每个需求的候选数', started: '分配完成',
      time: '时间', status: '状态', totals: '合计', needs: '需求', resources: '资源', edges: '候选边',
      totalScore: '总分', totalQuantity: '分配数量', millis: '耗时（毫秒）', allocation: '分配结果',
      need: '需求', resource: '资源', needOrg: '需求方', resourceOrg: '资源方', allocated: '分配数量', noRuns: '尚无分配运行',
      noAllocation: '本次运行没有分配结果', detail: '查看', runTitle: '分配运行 #{id}', back: '返回',
      st: { queued: '排队中', running: '运行中', done: '完成', failed: '失败' },
      w: { category: '类别', fields: '服务领域', text: '文本相似', proximity: '地理邻近', time: '时间重叠', quantity: '数量匹配', trust: '信誉', fairness_k: '公平系数 k' },
      version: '版本 {v}', defaults: '恢复默认', save: '保存', saved: '已保存', weightsHint: '各项权重 0–1，至少一项大于 0。',
    },
  },
  en: {
    match: {
      nav: 'Allocation runs', runs: 'Global allocation runs', weights: 'Matching weights', weightsNav: 'Matching weights',
      suggestions: 'Suggested matches', empty: 'No suitable suggestions', score: 'Score', fairness: 'Fairness',
      org: 'Organization', quantity: 'Quantity', remaining: 'Remaining', part: 'Part', value: 'Value', weight: 'Weight', contribution: 'Contribution', reason: 'Reason',
      propose: 'Propose docking', proposeTitle: 'Propose a docking', note: 'Note', submit: 'Submit', cancel: 'Cancel',
      proposed: 'Docking proposed', openDocking: 'Open docking', details: 'Details',
      start: 'Start a run', categories: 'Categories (optional)', k: 'Candidates per need', started: 'Run finished',
      time: 'Time', status: 'Status', totals: 'Totals', needs: 'Needs', resources: 'Resources', edges: 'Edges',
      totalScore: 'Total score', totalQuantity: 'Quantity allocated', millis: 'Time (ms)', allocation: 'Allocation',
      need: 'Need', resource: 'Resource', needOrg: 'Need org', resourceOrg: 'Resource org', allocated: 'Allocated', noRuns: 'No runs yet',
      noAllocation: 'This run allocated nothing', detail: 'Open', runTitle: 'Run #{id}', back: 'Back',
      st: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' },
      w: { category: 'Category', fields: 'Fields', text: 'Text similarity', proximity: 'Proximity', time: 'Time overlap', quantity: 'Quantity fit', trust: 'Trust', fairness_k: 'Fairness k' },
      version: 'Version {v}', defaults: 'Defaults', save: 'Save', saved: 'Saved', weightsHint: 'Each weight 0–1, at least one above 0.',
    },
  },
};
