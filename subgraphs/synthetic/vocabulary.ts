// Word lists for the fictional city of Qinghe (青禾市). The area code prefix 6601 is unassigned
// in GB/T 2260, so no identity number generated here can belong to a real person.

export const CITY = { name: '青禾市', areaPrefix: '6601' } as const;

export const DISTRICTS = [
  { code: '660102', name: '东城区' },
  { code: '660103', name: '西城区' },
  { code: '660104', name: '南湖区' },
  { code: '660105', name: '北山区' },
  { code: '660106', name: '滨江区' },
  { code: '660107', name: '高新区' },
  { code: '660121', name: '清河县' },
  { code: '660181', name: '临溪市' },
] as const;

/** Common surnames with rough relative frequencies. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72], ['李', 70], ['张', 68], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 24], ['赵', 21],
  ['吴', 20], ['周', 19], ['徐', 15], ['孙', 15], ['马', 13], ['朱', 13], ['胡', 12], ['郭', 11],
  ['何', 10], ['林', 10], ['高', 10], ['罗', 9], ['郑', 9], ['梁', 8], ['谢', 7], ['宋', 6],
  ['唐', 6], ['许', 6], ['韩', 6], ['冯', 6], ['邓', 5], ['曹', 5], ['彭', 5], ['曾', 5],
  ['欧阳', 1], ['司马', 0.3], ['诸葛', 0.2],
];

export const GIVEN_MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志文博晨'.split('');
export const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀玲桂英梅琳雪婷慧颖倩洁佳欣怡萱琪璐瑶月红燕晶蓉妍莉'.split('');

export const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['汉族', 915], ['壮族', 14], ['回族', 8], ['满族', 8], ['维吾尔族', 8], ['苗族', 8], ['彝族', 7],
  ['土家族', 7], ['藏族', 5], ['蒙古族', 5], ['朝鲜族', 2],
];

export const STREETS = ['人民路', '解放路', '中山路', '建设大道', '青禾大街', '湖滨路', '文化路', '新华街', '光明路', '和平路', '科技园路', '江南大道', '北山路', '长安街'];
export const COMMUNITIES = ['幸福里', '锦绣花园', '翠湖小区', '阳光家园', '金桥新村', '滨江一号', '书香苑', '和谐家园'];

export const BRANDS = ['恒达', '华信', '鼎盛', '宏远', '瑞丰', '新创', '金穗', '青禾', '永安', '东方', '汇通', '博远', '中联', '天成', '星辰', '明德', '润泽', '盛世', '安泰', '长青'];

export const INDUSTRIES = [
  { word: '科技', scope: '软件开发；信息技术咨询服务；数据处理和存储支持服务' },
  { word: '贸易', scope: '日用百货销售；五金产品批发；货物进出口' },
  { word: '建设工程', scope: '建设工程施工；市政设施管理；园林绿化工程施工' },
  { word: '食品', scope: '食品生产；食品销售；农副产品销售' },
  { word: '物流', scope: '普通货物仓储服务；道路货物运输；国内货物运输代理' },
  { word: '医药', scope: '药品零售；第二类医疗器械销售；保健食品销售' },
  { word: '餐饮管理', scope: '餐饮服务；餐饮管理；食品经营' },
  { word: '农业发展', scope: '谷物种植；蔬菜种植；农业技术推广服务' },
  { word: '机械制造', scope: '通用设备制造；机械零部件加工；金属制品销售' },
  { word: '文化传媒', scope: '广告设计、代理；组织文化艺术交流活动；会议及展览服务' },
] as const;

export const ENTERPRISE_TYPES: readonly (readonly [EnterpriseType, number])[] = [
  ['LIMITED_LIABILITY', 70], ['JOINT_STOCK', 5], ['SOLE_PROPRIETORSHIP', 6], ['PARTNERSHIP', 4],
  ['INDIVIDUAL_BUSINESS', 12], ['FARMERS_COOPERATIVE', 3],
];

export type EnterpriseType =
  | 'LIMITED_LIABILITY' | 'JOINT_STOCK' | 'SOLE_PROPRIETORSHIP' | 'PARTNERSHIP' | 'INDIVIDUAL_BUSINESS' | 'FARMERS_COOPERATIVE';

export const NAME_SUFFIX: Record<EnterpriseType, string> = {
  LIMITED_LIABILITY: '有限公司',
  JOINT_STOCK: '股份有限公司',
  SOLE_PROPRIETORSHIP: '个人独资企业',
  PARTNERSHIP: '合伙企业（有限合伙）',
  INDIVIDUAL_BUSINESS: '经营部',
  FARMERS_COOPERATIVE: '专业合作社',
};
