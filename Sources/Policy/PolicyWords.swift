/// The policy's own words (docs/seed-policy-zh.txt) for each rule with a clause, quoted
/// verbatim, for the plan document's 编制依据: what a reviewer checks the plan against.
/// `PolicyWordsTests` checks every quote is found, character for character, in the policy.
extension RuleCatalogue {
    /// The sentence (or list item) of the policy a rule restates, in Chinese; nil for the
    /// verifier's own lines, which have no clause.
    public static func policyWords(_ id: String) -> String? {
        if let r = KeyRule(rawValue: id) { return keyWords[r] }
        if let r = RuleID(rawValue: id) { return planWords[r] }
        return nil
    }

    static let keyWords: [KeyRule: String] = [
        .m1: "1.核发许可证的危险化学品生产、储存、使用单位",
        .m2: "2.未核发许可证但涉及重点监管危险化工工艺和危险化学品重大危险源的单位",
        .m3: "3.烟花爆竹经营（零售）单位",
        .m4: "4.存在高温熔融金属作业的单位，含钢铁、铝加工（深井铸造）等单位",
        .m5: "5.存在爆炸性粉尘的单位",
        .m6: "6.涉氨制冷单位",
        .m7: "7.存在污水处理设施的食品加工、造纸、皮革、毛皮、羽毛及其制品生产的轻工重点单位",
        .m8: "8.安全评价检测检验机构",
        .m9: "9.大中型工贸单位",
        .d1: "1.存在重大生产安全事故隐患且仍未完成整改的单位",
        .d2: "2.近三年发生过造成人员死亡的生产安全事故的单位",
        .d3: "3.近三年被纳入安全生产领域失信行为联合惩戒对象的单位",
        .d4: "4.近三年因安全生产违法行为被行政处罚二次及以上的单位",
        .d5: "5.根据区域特点和风险评估情况需要纳入重点检查的其他单位",
        .city: "市级应急管理部门负责纳入市级安全生产考核范围的中央直属企业总部、在沪分支机构（一级分公司、子公司总部）和市属企业总部（总公司、集团公司）以及市重点检查单位的安全生产行政执法",
    ]

    static let planWords: [RuleID: String] = [
        .keyCover: "对重点检查单位每年至少开展一次“全覆盖”执法，突出各类有针对性的重点检查事项，运用“执法+专家”模式",
        .cap: "对发生生产安全事故、纳入安全生产领域失信行为联合惩戒对象、多次出现违法违规行为的单位，可以适当增加执法频次",
        .generalRandom: "对一般检查单位以“双随机、一公开”执法抽查为主",
        .joint: "区级应急管理部门每年组织开展一次工业企业安全生产“双随机、一公开”跨部门联合执法抽查",
        .share60: "突出加强包括重点检查单位执法检查、专项执法检查等在内的重点检查工作，重点检查工作量占比不少于全部工作量的60%。工作量以执法或者监督检查总家次的形式体现",
        .ratioBureau: "市、区应急管理部门执法总家次与执法工作日之比不得小于0.75",
        .ratioLocal: "乡镇人民政府、街道办事处、功能区管理机构的监督检查总家次与监督检查工作日之比不得小于1",
        .basis: "年度执法或者监督检查计划应当建立在分析总结上年度执法或者监督检查总体情况、准确核算本年度执法或者监督检查工作量的基础上",
        .decompose: "根据年度计划细化、分解工作任务，分别编制季度、月度计划和现场检查方案",
        .special: "区级应急管理部门在完成全市统一部署的专项执法任务基础上，可以结合区域产业、事故等特点，有针对性地安排其他专项执法任务",
        .keyList: "市、区应急管理部门年度执法计划还应列明重点检查单位",
        .tierOne: "原则上一家执法对象对应一个层级的执法主体",
        .siteTeam: "按照批准的现场检查方案，对安全风险突出、易发生事故的关键环节、要害岗位、重点设施开展针对性执法",
    ]
}
