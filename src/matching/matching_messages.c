/*
 * The matching engine's texts: part names, reasons ({n} = arg[0], {m} = arg[1]; see
 * matching_part_explain) and the hard conditions a pair may fail.
 */
#include "core/msg.h"

const struct msg matching_messages[] = {
	{"matching.weight", "权重", "weight"},
	{"matching.weights_all_zero", "至少一项权重须大于 0", "At least one weight must be above 0"},
	{"matching.run_not_found", "没有这次分配运行", "No such allocation run"},
	{"matching.fairness", "公平系数", "Fairness factor"},
	{"matching.total", "总分", "Total"},
	{"matching.part.category", "类别匹配", "Category fit"},
	{"matching.part.fields", "领域重合", "Field overlap"},
	{"matching.part.text", "描述相似", "Text similarity"},
	{"matching.part.proximity", "地理邻近", "Proximity"},
	{"matching.part.time", "时间重合", "Time overlap"},
	{"matching.part.quantity", "数量满足", "Quantity fit"},
	{"matching.part.trust", "信用记录", "Track record"},
	{"matching.reason.category_same", "类别相同", "same category"},
	{"matching.reason.category_related", "相关类别，可部分满足（{n}%）",
	 "a related category that serves in part ({n}%)"},
	{"matching.reason.fields_shared", "{n} 个共同领域，共 {m} 个", "{n} shared of {m} fields"},
	{"matching.reason.text_shared", "描述中有 {n} 个共同词", "{n} words in common"},
	{"matching.reason.distance", "相距约 {n} 米", "about {n} m apart"},
	{"matching.reason.location_unknown", "位置不详", "location unknown"},
	{"matching.reason.same_community", "同一社区", "same community"},
	{"matching.reason.same_street", "同一街道", "same street"},
	{"matching.reason.same_district", "同一区", "same district"},
	{"matching.reason.far", "不在同一区", "outside the district"},
	{"matching.reason.time_open", "时间不限", "no time limit"},
	{"matching.reason.time_covered", "覆盖需求时段的 {n}%", "covers {n}% of the needed time"},
	{"matching.reason.quantity_covered", "可满足需求数量的 {n}%",
	 "covers {n}% of the quantity needed"},
	{"matching.reason.trust", "已完成对接 {n} 次", "{n} dockings fulfilled"},
	{"matching.reject.category", "类别不相容", "The categories do not fit"},
	{"matching.reject.same_org", "同一组织不能与自己对接", "An organization cannot dock with itself"},
	{"matching.reject.unit", "计量单位不同", "The units differ"},
	{"matching.reject.no_quantity", "已无剩余数量", "No quantity left"},
	{"matching.reject.org_type", "组织类型不符合对方要求",
	 "The organization type is not one the other side accepts"},
	{"matching.reject.grade", "组织等级低于对方要求", "The organization's grade is below the minimum"},
	{NULL, NULL, NULL},
};
