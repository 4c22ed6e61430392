/// Shanghai's districts with their administrative division codes (the 3rd–8th characters of a
/// credit code), their streets and towns, functional zones and approximate centres.
public struct DistrictProfile: Sendable {
    public let name: String
    public let code: String
    public let towns: [String]
    /// Functional zone → the towns it covers.
    public let zones: [String: [String]]
    public let latitude: Double
    public let longitude: Double
}

public enum ShanghaiGeography {
    public static let districts: [DistrictProfile] = [
        DistrictProfile(name: "浦东新区", code: "310115", towns: [
            "陆家嘴街道", "潍坊新村街道", "塘桥街道", "洋泾街道", "金杨新村街道", "花木街道", "张江镇", "金桥镇",
            "高桥镇", "高行镇", "高东镇", "曹路镇", "川沙新镇", "唐镇", "合庆镇", "北蔡镇", "康桥镇", "周浦镇",
            "航头镇", "新场镇", "宣桥镇", "惠南镇", "祝桥镇", "老港镇", "大团镇", "泥城镇", "书院镇", "万祥镇", "南汇新城镇", "三林镇"],
            zones: ["临港新片区": ["泥城镇", "书院镇", "万祥镇", "南汇新城镇"]], latitude: 31.22, longitude: 121.54),
        DistrictProfile(name: "闵行区", code: "310112", towns: [
            "江川路街道", "古美街道", "新虹街道", "浦锦街道", "莘庄镇", "七宝镇", "颛桥镇", "华漕镇", "虹桥镇",
            "梅陇镇", "吴泾镇", "马桥镇", "浦江镇"], zones: [:], latitude: 31.11, longitude: 121.38),
        DistrictProfile(name: "嘉定区", code: "310114", towns: [
            "新成路街道", "真新街道", "嘉定镇街道", "南翔镇", "安亭镇", "马陆镇", "徐行镇", "华亭镇", "外冈镇", "江桥镇"],
            zones: [:], latitude: 31.38, longitude: 121.27),
        DistrictProfile(name: "宝山区", code: "310113", towns: [
            "友谊路街道", "吴淞街道", "张庙街道", "罗店镇", "大场镇", "杨行镇", "月浦镇", "罗泾镇", "顾村镇", "高境镇", "庙行镇", "淞南镇"],
            zones: [:], latitude: 31.40, longitude: 121.49),
        DistrictProfile(name: "松江区", code: "310117", towns: [
            "岳阳街道", "永丰街道", "方松街道", "中山街道", "泗泾镇", "佘山镇", "车墩镇", "新桥镇", "洞泾镇",
            "九亭镇", "泖港镇", "石湖荡镇", "新浜镇", "叶榭镇", "小昆山镇"], zones: [:], latitude: 31.03, longitude: 121.23),
        DistrictProfile(name: "金山区", code: "310116", towns: [
            "石化街道", "朱泾镇", "枫泾镇", "张堰镇", "亭林镇", "吕巷镇", "廊下镇", "金山卫镇", "漕泾镇", "山阳镇"],
            zones: ["上海化学工业区": ["漕泾镇"]], latitude: 30.74, longitude: 121.34),
        DistrictProfile(name: "奉贤区", code: "310120", towns: [
            "西渡街道", "奉浦街道", "金海街道", "南桥镇", "奉城镇", "庄行镇", "金汇镇", "四团镇", "青村镇", "柘林镇", "海湾镇"],
            zones: ["上海化学工业区": ["柘林镇"]], latitude: 30.92, longitude: 121.47),
        DistrictProfile(name: "青浦区", code: "310118", towns: [
            "夏阳街道", "盈浦街道", "香花桥街道", "朱家角镇", "练塘镇", "金泽镇", "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇"],
            zones: [:], latitude: 31.15, longitude: 121.12),
        DistrictProfile(name: "崇明区", code: "310151", towns: [
            "城桥镇", "堡镇", "新河镇", "庙镇", "竖新镇", "向化镇", "三星镇", "港沿镇", "中兴镇", "陈家镇", "绿华镇", "港西镇", "建设镇", "新海镇", "东平镇", "长兴镇", "横沙乡"],
            zones: [:], latitude: 31.62, longitude: 121.40),
        DistrictProfile(name: "徐汇区", code: "310104", towns: [
            "天平路街道", "湖南路街道", "斜土路街道", "枫林路街道", "长桥街道", "田林街道", "虹梅路街道", "康健新村街道",
            "徐家汇街道", "凌云路街道", "龙华街道", "漕河泾街道", "华泾镇"], zones: [:], latitude: 31.18, longitude: 121.44),
        DistrictProfile(name: "杨浦区", code: "310110", towns: [
            "定海路街道", "平凉路街道", "江浦路街道", "四平路街道", "控江路街道", "长白新村街道", "延吉新村街道",
            "殷行街道", "大桥街道", "五角场街道", "新江湾城街道", "长海路街道"], zones: [:], latitude: 31.26, longitude: 121.53),
        DistrictProfile(name: "普陀区", code: "310107", towns: [
            "曹杨新村街道", "长风新村街道", "长寿路街道", "甘泉路街道", "石泉路街道", "宜川路街道", "万里街道",
            "真如镇街道", "长征镇", "桃浦镇"], zones: [:], latitude: 31.25, longitude: 121.40),
        // The four central districts, appended so that every district above keeps its place (the
        // city generator's folder names d01…d16 follow this order).
        DistrictProfile(name: "黄浦区", code: "310101", towns: [
            "南京东路街道", "外滩街道", "半淞园路街道", "小东门街道", "豫园街道", "老西门街道", "五里桥街道",
            "打浦桥街道", "淮海中路街道", "瑞金二路街道"], zones: [:], latitude: 31.23, longitude: 121.49),
        DistrictProfile(name: "静安区", code: "310106", towns: [
            "江宁路街道", "石门二路街道", "南京西路街道", "静安寺街道", "曹家渡街道", "天目西路街道", "北站街道",
            "宝山路街道", "共和新路街道", "大宁路街道", "彭浦新村街道", "临汾路街道", "芷江西路街道", "彭浦镇"],
            zones: [:], latitude: 31.25, longitude: 121.45),
        DistrictProfile(name: "长宁区", code: "310105", towns: [
            "华阳路街道", "江苏路街道", "新华路街道", "周家桥街道", "天山路街道", "仙霞新村街道", "虹桥街道",
            "程家桥街道", "北新泾街道", "新泾镇"], zones: [:], latitude: 31.22, longitude: 121.42),
        DistrictProfile(name: "虹口区", code: "310109", towns: [
            "欧阳路街道", "曲阳路街道", "广中路街道", "嘉兴路街道", "凉城新村街道", "四川北路街道", "北外滩街道",
            "江湾镇街道"], zones: [:], latitude: 31.27, longitude: 121.50),
    ]

    /// Streets and towns the profiles above leave out (浦东新区's western streets, 松江区's newer
    /// streets, 崇明区's 新村乡): with them the city has its 215 towns and streets. Only the city
    /// generator adds them (`cityDistricts`); a single district keeps its profile as it is, so
    /// that its generated files stay the same.
    public static let additionalTowns: [String: [String]] = [
        "浦东新区": ["周家渡街道", "上钢新村街道", "南码头路街道", "沪东新村街道", "浦兴路街道", "东明路街道"],
        "松江区": ["广富林街道", "九里亭街道"],
        "崇明区": ["新村乡"],
    ]

    /// All sixteen districts with every town and street (`additionalTowns` after each profile's own).
    public static var cityDistricts: [DistrictProfile] {
        districts.map { p in
            DistrictProfile(name: p.name, code: p.code, towns: p.towns + (additionalTowns[p.name] ?? []), zones: p.zones,
                            latitude: p.latitude, longitude: p.longitude)
        }
    }

    public static func district(named name: String) -> DistrictProfile? {
        districts.first { $0.name == name || $0.name.hasPrefix(name) }
    }
}
