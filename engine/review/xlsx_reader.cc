#include "engine/review/xlsx_reader.h"

#include <expat.h>

#include <functional>
#include <memory>
#include <string_view>

#include "engine/review/zip_reader.h"

namespace rollmatch {

namespace {

// Columns beyond Excel's last (XFD) are refused rather than allocated.
constexpr size_t kMaxColumns = 16384;

// The local part of an expat namespace-qualified name ("uri|local").
std::string_view Local(const XML_Char* name) {
  std::string_view n(name);
  const size_t bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

const XML_Char* Attr(const XML_Char** attrs, std::string_view local) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (Local(attrs[i]) == local) return attrs[i + 1];
  }
  return nullptr;
}

// Runs expat over `xml`, calling `start(local_name, attrs)`, `end(local_name)`
// and `text(chars)`. Corrupt names the file and part on malformed XML.
class XmlParse {
 public:
  std::function<void(std::string_view, const XML_Char**)> start;
  std::function<void(std::string_view)> end;
  std::function<void(std::string_view)> text;
  // Set by a callback to stop with an error.
  std::string error;

  Status Run(const std::string& xml, const std::string& where) {
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
        XML_ParserCreateNS(nullptr, '|'), &XML_ParserFree);
    if (!parser) return Status::Internal("cannot create an XML parser");
    XML_SetUserData(parser.get(), this);
    XML_SetElementHandler(
        parser.get(),
        [](void* self, const XML_Char* name, const XML_Char** attrs) {
          auto* p = static_cast<XmlParse*>(self);
          if (p->start) p->start(Local(name), attrs);
        },
        [](void* self, const XML_Char* name) {
          auto* p = static_cast<XmlParse*>(self);
          if (p->end) p->end(Local(name));
        });
    XML_SetCharacterDataHandler(parser.get(), [](void* self, const XML_Char* s, int len) {
      auto* p = static_cast<XmlParse*>(self);
      if (p->text) p->text(std::string_view(s, static_cast<size_t>(len)));
    });
    parser_ = parser.get();
    if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) != XML_STATUS_OK) {
      if (!error.empty()) return Status::Corrupt(where + ": " + error);
      return Status::Corrupt(where + ": malformed XML at line " +
                             std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
                             XML_ErrorString(XML_GetErrorCode(parser.get())));
    }
    if (!error.empty()) return Status::Corrupt(where + ": " + error);
    return Status::Ok();
  }
  void Fail(std::string message) {
    if (error.empty()) error = std::move(message);
    XML_StopParser(parser_, XML_FALSE);
  }

 private:
  XML_Parser parser_ = nullptr;
};

// Excel escapes characters XML cannot hold as _xHHHH_ (and a literal
// "_x" as _x005F_x).
std::string UnescapeOoxml(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (i + 7 <= s.size() && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_') {
      unsigned v = 0;
      bool hex = true;
      for (size_t k = i + 2; k < i + 6; ++k) {
        const char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9')
          v |= c - '0';
        else if (c >= 'a' && c <= 'f')
          v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
          v |= c - 'A' + 10;
        else
          hex = false;
      }
      if (hex) {
        if (v < 0x80) {
          out.push_back(static_cast<char>(v));
        } else if (v < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (v >> 6)));
          out.push_back(static_cast<char>(0x80 | (v & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (v >> 12)));
          out.push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (v & 0x3F)));
        }
        i += 7;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  return out;
}

// The 0-based column of a cell reference ("C7" → 2), or -1.
long ColumnOf(std::string_view ref) {
  long col = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    col = col * 26 + (ref[i] - 'A' + 1);
    if (col > static_cast<long>(kMaxColumns)) return -1;
    ++i;
  }
  if (i == 0) return -1;
  return col - 1;
}

// "xl/worksheets/sheet1.xml" from a relationship target relative to the
// folder of `base` ("xl/workbook.xml"), or absolute ("/xl/...").
std::string ResolveTarget(std::string_view base, std::string_view target) {
  if (!target.empty() && target.front() == '/') return std::string(target.substr(1));
  std::string dir(base.substr(0, base.rfind('/') == std::string_view::npos ? 0 : base.rfind('/') + 1));
  std::string t(target);
  while (t.rfind("../", 0) == 0) {
    t.erase(0, 3);
    if (!dir.empty()) dir.pop_back();
    const size_t slash = dir.rfind('/');
    dir = slash == std::string::npos ? std::string() : dir.substr(0, slash + 1);
  }
  return dir + t;
}

// The relationships of a part: Id → (Type, resolved Target).
struct Relationship {
  std::string type;
  std::string target;
};
Result<std::map<std::string, Relationship>> ReadRels(ZipReader& zip, const std::string& path,
                                                     const std::string& part) {
  std::map<std::string, Relationship> rels;
  const size_t slash = part.rfind('/');
  const std::string rels_name = (slash == std::string::npos ? std::string() : part.substr(0, slash + 1)) +
                                "_rels/" + (slash == std::string::npos ? part : part.substr(slash + 1)) +
                                ".rels";
  if (!zip.Has(rels_name)) return rels;
  RM_ASSIGN_OR_RETURN(std::string xml, zip.Read(rels_name));
  XmlParse p;
  p.start = [&](std::string_view name, const XML_Char** attrs) {
    if (name != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* type = Attr(attrs, "Type");
    const char* target = Attr(attrs, "Target");
    const char* mode = Attr(attrs, "TargetMode");
    if (id == nullptr || target == nullptr || (mode != nullptr && std::string_view(mode) == "External"))
      return;
    rels[id] = {type ? type : "", ResolveTarget(part, target)};
  };
  RM_RETURN_IF_ERROR(p.Run(xml, path + ": " + rels_name));
  return rels;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string XlsxColumnName(size_t column) {
  std::string name;
  for (size_t c = column + 1; c > 0; c = (c - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (c - 1) % 26));
  return name;
}

Result<XlsxWorkbook> ReadXlsx(const std::string& path) {
  RM_ASSIGN_OR_RETURN(std::unique_ptr<ZipReader> zip, ZipReader::Open(path));
  XlsxWorkbook book;

  // The workbook part, from the package relationships.
  std::string workbook_part = "xl/workbook.xml";
  RM_ASSIGN_OR_RETURN(auto package_rels, ReadRels(*zip, path, ""));
  std::string custom_part = "docProps/custom.xml";
  for (const auto& [id, rel] : package_rels) {
    if (EndsWith(rel.type, "/officeDocument")) workbook_part = rel.target;
    if (EndsWith(rel.type, "/custom-properties")) custom_part = rel.target;
  }
  if (!zip->Has(workbook_part))
    return Status::Corrupt(path + ": not an XLSX workbook (no " + workbook_part + ")");
  RM_ASSIGN_OR_RETURN(auto rels, ReadRels(*zip, path, workbook_part));

  // Sheets in order, with their parts.
  struct SheetRef {
    std::string name, part;
    bool hidden;
  };
  std::vector<SheetRef> refs;
  {
    RM_ASSIGN_OR_RETURN(std::string xml, zip->Read(workbook_part));
    XmlParse p;
    p.start = [&](std::string_view name, const XML_Char** attrs) {
      if (name != "sheet") return;
      const char* sheet_name = Attr(attrs, "name");
      const char* rid = Attr(attrs, "id");
      const char* state = Attr(attrs, "state");
      if (sheet_name == nullptr || rid == nullptr) return p.Fail("a sheet without name or id");
      auto it = rels.find(rid);
      if (it == rels.end()) return;  // a chart sheet or dialog without a part we read
      if (!EndsWith(it->second.type, "/worksheet")) return;
      refs.push_back(
          {sheet_name, it->second.target, state != nullptr && std::string_view(state) != "visible"});
    };
    RM_RETURN_IF_ERROR(p.Run(xml, path + ": " + workbook_part));
  }

  // Shared strings (text of rich-text runs joined; phonetic runs skipped).
  std::vector<std::string> shared;
  std::string shared_part;
  for (const auto& [id, rel] : rels) {
    if (EndsWith(rel.type, "/sharedStrings")) shared_part = rel.target;
  }
  if (!shared_part.empty() && zip->Has(shared_part)) {
    RM_ASSIGN_OR_RETURN(std::string xml, zip->Read(shared_part));
    XmlParse p;
    int in_t = 0, in_phonetic = 0;
    std::string current;
    p.start = [&](std::string_view name, const XML_Char**) {
      if (name == "si") current.clear();
      if (name == "t") ++in_t;
      if (name == "rPh") ++in_phonetic;
    };
    p.end = [&](std::string_view name) {
      if (name == "si") shared.push_back(UnescapeOoxml(current));
      if (name == "t") --in_t;
      if (name == "rPh") --in_phonetic;
    };
    p.text = [&](std::string_view s) {
      if (in_t > 0 && in_phonetic == 0) current.append(s);
    };
    RM_RETURN_IF_ERROR(p.Run(xml, path + ": " + shared_part));
  }

  for (const SheetRef& ref : refs) {
    XlsxSheet sheet;
    sheet.name = ref.name;
    sheet.hidden = ref.hidden;
    RM_ASSIGN_OR_RETURN(std::string xml, zip->Read(ref.part));
    XmlParse p;
    const std::string where = path + ": sheet " + ref.name;
    XlsxRow row;
    bool in_row = false, in_cell = false, in_value = false, in_inline = false;
    int in_t = 0, in_phonetic = 0;
    long next_row = 1, next_col = 0, col = 0;
    std::string type, value, inline_text;
    p.start = [&](std::string_view name, const XML_Char** attrs) {
      if (name == "row") {
        const char* r = Attr(attrs, "r");
        long number = r != nullptr ? std::strtol(r, nullptr, 10) : next_row;
        if (number < next_row || number > 1048576) return p.Fail("rows out of order");
        row = XlsxRow();
        row.number = static_cast<uint32_t>(number);
        next_row = number + 1;
        next_col = 0;
        in_row = true;
      } else if (name == "c" && in_row) {
        const char* r = Attr(attrs, "r");
        col = r != nullptr ? ColumnOf(r) : next_col;
        if (col < 0 || col >= static_cast<long>(kMaxColumns)) return p.Fail("a cell reference out of range");
        next_col = col + 1;
        const char* t = Attr(attrs, "t");
        type = t != nullptr ? t : "n";
        value.clear();
        inline_text.clear();
        in_cell = true;
      } else if (name == "v" && in_cell) {
        in_value = true;
      } else if (name == "is" && in_cell) {
        in_inline = true;
      } else if (name == "t" && in_inline) {
        ++in_t;
      } else if (name == "rPh" && in_inline) {
        ++in_phonetic;
      }
    };
    p.end = [&](std::string_view name) {
      if (name == "v") {
        in_value = false;
      } else if (name == "t" && in_t > 0) {
        --in_t;
      } else if (name == "rPh" && in_phonetic > 0) {
        --in_phonetic;
      } else if (name == "is") {
        in_inline = false;
      } else if (name == "c" && in_cell) {
        in_cell = false;
        std::string text;
        if (type == "s") {
          char* endp = nullptr;
          const unsigned long i = std::strtoul(value.c_str(), &endp, 10);
          if (value.empty() || *endp != '\0' || i >= shared.size()) {
            return p.Fail("cell " + XlsxColumnName(col) + std::to_string(row.number) +
                          " refers to a missing shared string");
          }
          text = shared[i];
        } else if (type == "inlineStr") {
          text = UnescapeOoxml(inline_text);
        } else if (type == "str") {
          text = UnescapeOoxml(value);
        } else if (type == "b") {
          text = value == "1" ? "TRUE" : "FALSE";
        } else {
          text = value;  // numbers and errors as stored
        }
        if (text.empty()) return;
        if (row.cells.size() <= static_cast<size_t>(col)) row.cells.resize(col + 1);
        row.cells[col] = std::move(text);
      } else if (name == "row" && in_row) {
        in_row = false;
        if (!row.cells.empty()) sheet.rows.push_back(std::move(row));
      }
    };
    p.text = [&](std::string_view s) {
      if (in_value) value.append(s);
      if (in_inline && in_t > 0 && in_phonetic == 0) inline_text.append(s);
    };
    RM_RETURN_IF_ERROR(p.Run(xml, where));
    book.sheets.push_back(std::move(sheet));
  }

  // Custom document properties (text values).
  if (zip->Has(custom_part)) {
    RM_ASSIGN_OR_RETURN(std::string xml, zip->Read(custom_part));
    XmlParse p;
    std::string name, value;
    bool in_property = false;
    int depth = 0;
    p.start = [&](std::string_view element, const XML_Char** attrs) {
      if (element == "property") {
        const char* n = Attr(attrs, "name");
        name = n != nullptr ? n : "";
        value.clear();
        in_property = true;
        depth = 0;
      } else if (in_property) {
        ++depth;
      }
    };
    p.end = [&](std::string_view element) {
      if (element == "property" && in_property) {
        in_property = false;
        if (!name.empty()) book.custom_properties[name] = value;
      } else if (in_property) {
        --depth;
      }
    };
    p.text = [&](std::string_view s) {
      if (in_property && depth > 0) value.append(s);
    };
    RM_RETURN_IF_ERROR(p.Run(xml, path + ": " + custom_part));
  }
  return book;
}

}  // namespace rollmatch
