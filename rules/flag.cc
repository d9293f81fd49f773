#include "rules/flag.h"

namespace rollmatch {

std::string_view FlagCodeName(FlagCode code) {
  switch (code) {
    case FlagCode::kWrongNotFound: return "WRONG_NOT_FOUND";
    case FlagCode::kWrongDeceased: return "WRONG_DECEASED";
    case FlagCode::kWrongNoRights: return "WRONG_NO_RIGHTS";
    case FlagCode::kWrongUnderage: return "WRONG_UNDERAGE";
    case FlagCode::kWrongMovedOut: return "WRONG_MOVED_OUT";
    case FlagCode::kWrongDistrict: return "WRONG_DISTRICT";
    case FlagCode::kWrongDetails: return "WRONG_DETAILS";
    case FlagCode::kDuplicate: return "DUPLICATE";
    case FlagCode::kMissingEligible: return "MISSING_ELIGIBLE";
    case FlagCode::kMissingMigrant: return "MISSING_MIGRANT";
  }
  return "?";
}

std::string_view FlagCategory(FlagCode code) {
  if (code == FlagCode::kDuplicate) return "duplicate";
  if (code == FlagCode::kMissingEligible || code == FlagCode::kMissingMigrant) return "missing";
  return "wrong";
}

std::string_view FlagCategoryLabel(FlagCode code) {
  if (code == FlagCode::kDuplicate) return "重登";
  if (code == FlagCode::kMissingEligible || code == FlagCode::kMissingMigrant) return "漏登";
  return "错登";
}

std::string_view FlagLabel(FlagCode code) {
  switch (code) {
    case FlagCode::kWrongNotFound: return "查无此人";
    case FlagCode::kWrongDeceased: return "已死亡";
    case FlagCode::kWrongNoRights: return "无选举权利";
    case FlagCode::kWrongUnderage: return "未满十八周岁";
    case FlagCode::kWrongMovedOut: return "已迁出/不在本地";
    case FlagCode::kWrongDistrict: return "选区不符";
    case FlagCode::kWrongDetails: return "登记信息有误";
    case FlagCode::kDuplicate: return "重复登记";
    case FlagCode::kMissingEligible: return "应登未登";
    case FlagCode::kMissingMigrant: return "流入人员未登记（待联系）";
  }
  return "?";
}

std::string_view FlagAction(FlagCode code) {
  switch (code) {
    case FlagCode::kWrongDetails: return "更正登记信息";
    case FlagCode::kWrongDistrict: return "核实后转入正确选区";
    case FlagCode::kDuplicate: return "核实后删除重复登记";
    case FlagCode::kMissingEligible: return "补登";
    case FlagCode::kMissingMigrant: return "联系本人";
    default: return "核实后删除";
  }
}

bool IsEligibilityCode(FlagCode code) { return static_cast<int>(code) <= static_cast<int>(FlagCode::kWrongDistrict); }

}  // namespace rollmatch
