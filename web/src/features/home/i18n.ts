// Texts of the home page and the page-not-found page, Chinese first.
export default {
  'zh-CN': {
    home: {
      title: '首页',
      welcome: '{name}，您好',
      orgTotal: '登记组织',
      active: '正常活动',
      byType: '按类型分布',
      byStreet: '按街道分布',
      byGrade: '按评估等级分布',
      byMonth: '每月新登记',
      byStatus: '按状态分布',
      noOrgs: '尚未登记组织',
      goOrgs: '查看组织名录',
    },
    notFound: { title: '页面不存在', body: '您访问的地址没有对应的页面。', home: '回到首页' },
  },
  en: {
    home: {
      title: 'Home',
      welcome: 'Hello, {name}',
      orgTotal: 'Registered organizations',
      active: 'Active',
      byType: 'By type',
      byStreet: 'By street',
      byGrade: 'By grade',
      byMonth: 'New registrations per month',
      byStatus: 'By status',
      noOrgs: 'No organizations registered yet',
      goOrgs: 'Open the registry',
    },
    notFound: { title: 'Page not found', body: 'No page lives at this address.', home: 'Back to home' },
  },
};
