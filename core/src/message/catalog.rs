//! Every message, in English and Vietnamese, grouped by where it is given.

use super::{Arg, Template};

messages! {
    // ---- Things messages name -------------------------------------------------------
    WhatDataFile {} => "data file", "tệp dữ liệu";
    WhatIndicatorFile {} => "indicator file", "tệp bộ chỉ số";
    WhatWorkbookUnpacked {} => "workbook unpacked", "bảng tính sau khi giải nén";
    WhatEvidence {} => "the evidence", "minh chứng";
    WhatReason {} => "the reason", "lý do";
    WhatNote {} => "the note", "ghi chú";
    WhatUnitId {} => "the unit id", "mã đơn vị";
    WhatUnitName {} => "the unit name", "tên đơn vị";
    WhatPeriod {} => "the period", "kỳ đánh giá";
    WhatLabel {} => "a label", "nhãn";
    WhatId {} => "an id", "mã";
    WhatText {} => "a text", "văn bản";

    // ---- Sizes and limits -----------------------------------------------------------
    FileTooLarge { what, size, limit } =>
        "the {what} is {size}, more than the {limit} this tool reads",
        "{what} có dung lượng {size}, vượt quá {limit} mà công cụ này đọc được";
    StreamTooLarge { what, limit } =>
        "the {what} is more than the {limit} this tool reads",
        "{what} vượt quá {limit} mà công cụ này đọc được";
    TextTooLong { what, start, limit } =>
        "{what} {start} is longer than {limit} characters",
        "{what} {start} dài hơn {limit} ký tự";
    LineTooLong { line, limit } =>
        "line {line} is longer than the {limit} this tool reads on one line: is this a CSV file?",
        "dòng {line} dài hơn {limit} mà công cụ này đọc trên một dòng: tệp có đúng là CSV không?";
    TooManyUnits { limit } =>
        "the data has more than the {limit} units this tool reads",
        "dữ liệu có nhiều hơn {limit} đơn vị mà công cụ này đọc được";
    TooManyPeriods { limit } =>
        "the data has more than the {limit} periods this tool reads",
        "dữ liệu có nhiều hơn {limit} kỳ mà công cụ này đọc được";
    TooManyCells { sheet, limit } =>
        "sheet {sheet} has more than the {limit} cells this tool reads",
        "trang tính {sheet} có nhiều hơn {limit} ô mà công cụ này đọc được";
    WorkbookTextTooLong { limit, part } =>
        "the workbook holds a text longer than the {limit} this tool reads in a cell (in its part {part})",
        "bảng tính chứa một văn bản dài hơn {limit} mà công cụ này đọc trong một ô (ở phần {part})";
    MoreProblems { count } =>
        "{count} more problems are not listed",
        "còn {count} vấn đề khác không được liệt kê";

    // ---- Files and encodings --------------------------------------------------------
    UnreadableEncoding { encoding } =>
        "the file is {encoding} text, which this tool does not read",
        "tệp được mã hoá {encoding}, công cụ này không đọc được";
    HintSaveUtf8 {} =>
        "save it as UTF-8 (in Excel: CSV UTF-8; in Notepad: Save as, Encoding UTF-8)",
        "hãy lưu lại dưới dạng UTF-8 (trong Excel: CSV UTF-8; trong Notepad: Lưu thành, Mã hoá UTF-8)";
    NotUtf8 {} => "the file is not UTF-8 text", "tệp không phải văn bản UTF-8";
    CsvSyntax { detail } => "the CSV file cannot be read: {detail}", "không đọc được tệp CSV: {detail}";
    HintSaveCsv {} =>
        "save the file as CSV UTF-8 with commas between fields",
        "hãy lưu tệp dưới dạng CSV UTF-8, các trường cách nhau bằng dấu phẩy";
    NoHeaderRow {} => "the file has no header row", "tệp không có dòng tiêu đề";
    WorkbookMalformed {} =>
        "cannot read the Excel workbook: its content is malformed",
        "không đọc được bảng tính Excel: nội dung bị hỏng";
    HintSaveWorkbookAgain {} =>
        "open it in Excel and save it again as .xlsx",
        "hãy mở bằng Excel và lưu lại dưới dạng .xlsx";
    WorkbookUnreadable { detail } =>
        "cannot read the Excel workbook: {detail}",
        "không đọc được bảng tính Excel: {detail}";
    HintSaveXlsx {} =>
        "save it as .xlsx (Excel 2007 or later)",
        "hãy lưu dưới dạng .xlsx (Excel 2007 trở lên)";
    WorkbookNoSheet {} => "the workbook has no sheet", "bảng tính không có trang tính nào";
    SheetUnreadable { sheet, detail } =>
        "cannot read sheet {sheet}: {detail}",
        "không đọc được trang tính {sheet}: {detail}";
    SheetEmpty {} => "the sheet is empty", "trang tính trống";
    NoExcelInThisBuild {} => "this build cannot read Excel files", "bản dựng này không đọc được tệp Excel";
    JsonSyntax { detail } => "the JSON is not valid: {detail}", "JSON không hợp lệ: {detail}";
    JsonEndsEarly {} => "the JSON ends too early", "JSON kết thúc quá sớm";
    JsonShape { detail } =>
        "the JSON does not have the expected shape: {detail}",
        "JSON không đúng cấu trúc mong đợi: {detail}";
    TomlSyntax { detail } => "the TOML is not valid: {detail}", "TOML không hợp lệ: {detail}";

    // ---- Values ---------------------------------------------------------------------
    NotANumber { value } => "{value} is not a number", "{value} không phải là số";
    HintNumberFormat {} =>
        "write numbers with a dot as decimal separator, e.g. 85.5",
        "trong tệp, viết số với dấu chấm thập phân, ví dụ 85.5";
    NumberTooLarge { value } => "{value} is too large a number", "{value} là số quá lớn";
    HintNumberTooLarge {} =>
        "numbers beyond about 1.8e308 cannot be computed with",
        "không thể tính toán với số lớn hơn khoảng 1,8e308";
    NotFinite { value } => "{value} is not a finite number", "{value} không phải là số hữu hạn";
    HintNotFinite {} =>
        "NaN and infinities are not values; leave the cell empty for a missing value",
        "NaN và vô cực không phải là giá trị; để trống ô nếu thiếu giá trị";
    NotYesNo { value } => "{value} is not yes or no", "{value} không phải là có hoặc không";
    HintYesNo {} =>
        "write yes/no, true/false, có/không or 1/0",
        "hãy ghi có/không, yes/no, true/false hoặc 1/0";
    NotALevel { value, levels } =>
        "{value} is not a level of this indicator (levels: {levels})",
        "{value} không phải là một mức của chỉ tiêu này (các mức: {levels})";
    HintGiveLevel {} => "give one of the levels or its label", "hãy ghi một trong các mức hoặc nhãn của mức đó";
    ChecklistNotNumber {} =>
        "a checklist value lists item ids, not a number",
        "giá trị dạng danh mục kiểm tra liệt kê các mục đã làm, không phải một số";
    HintChecklistItems {} =>
        "list the done items separated by `;`, e.g. correct;clean",
        "hãy liệt kê các mục đã làm, cách nhau bằng `;`, ví dụ correct;clean";
    NotAnItem { value, items } =>
        "{value} is not an item of this checklist (items: {items})",
        "{value} không phải là một mục của danh mục này (các mục: {items})";
    ValueNotPercent { value } =>
        "{value} is not a percentage: it must be from 0 to 100",
        "{value} không phải là tỉ lệ phần trăm: phải từ 0 đến 100";
    HintPercent {} => "give the share in percent, e.g. 85 for 85%", "hãy ghi tỉ lệ theo phần trăm, ví dụ 85 cho 85%";
    ValueNotCount { value } =>
        "{value} is not a count: it must be a whole number, 0 or more",
        "{value} không phải là số đếm: phải là số nguyên từ 0 trở lên";
    HintWholeNumber {} => "give a whole number", "hãy ghi một số nguyên";
    ValueBelowMinimum { value, min } => "{value} is below the minimum {min}", "{value} nhỏ hơn giá trị tối thiểu {min}";
    ValueAboveMaximum { value, max } => "{value} is above the maximum {max}", "{value} lớn hơn giá trị tối đa {max}";
    HintCheckValue {} => "check the value", "hãy kiểm tra lại giá trị";
    ValueRefused { problem, unit, indicator } =>
        "{problem} (unit {unit}, indicator {indicator})",
        "{problem} (đơn vị {unit}, chỉ tiêu {indicator})";
    HintRefusedCountedMissing {} =>
        "the value is refused and counted as missing: correct it and load the file again",
        "giá trị bị từ chối và được tính là thiếu: hãy sửa và nạp lại tệp";
    SecondValue { unit, period, indicator } =>
        "a second value for unit {unit}, period {period}, indicator {indicator}",
        "giá trị thứ hai cho đơn vị {unit}, kỳ {period}, chỉ tiêu {indicator}";
    HintOneRowPerValue {} =>
        "keep one row per unit, period and indicator",
        "mỗi đơn vị, kỳ và chỉ tiêu chỉ giữ một dòng";
    DoesNotApply { indicator, unit } =>
        "indicator {indicator} does not apply to unit {unit} of its block; the value is ignored",
        "chỉ tiêu {indicator} không áp dụng cho đơn vị {unit} thuộc khối của đơn vị; giá trị bị bỏ qua";
    EvidenceDateNotDate { date, unit, indicator } =>
        "evidence date {date} (unit {unit}, indicator {indicator}) is not a date; it is kept as text, but its age cannot be checked",
        "ngày minh chứng {date} (đơn vị {unit}, chỉ tiêu {indicator}) không phải là ngày; được giữ dạng văn bản nhưng không kiểm tra được độ mới";
    HintDateFormat {} => "write YYYY-MM-DD, e.g. 2025-03-31", "trong tệp, ghi ngày dạng YYYY-MM-DD, ví dụ 2025-03-31";
    NotAStatus { value } => "{value} is not a status", "{value} không phải là một trạng thái";
    HintStatus {} =>
        "write self-assessed, verified or adjusted",
        "hãy ghi self-assessed (tự đánh giá), verified (đã thẩm định) hoặc adjusted (đã điều chỉnh)";

    // ---- Units, rows and columns ----------------------------------------------------
    UnitDescribedDifferently { unit, name, block } =>
        "unit {unit} is described differently than before (name {name}, block {block})",
        "đơn vị {unit} được mô tả khác với trước (tên {name}, khối {block})";
    HintFirstDescriptionKept {} => "the first description is kept", "mô tả đầu tiên được giữ lại";
    UnitBlockUnknown { block, unit } =>
        "block {block} of unit {unit} is not declared by the indicator file",
        "khối {block} của đơn vị {unit} không được khai báo trong tệp bộ chỉ số";
    HintDeclaredBlocks { blocks } => "declared blocks: {blocks}", "các khối đã khai báo: {blocks}";
    NoUnits {} => "the data file has no units", "tệp dữ liệu không có đơn vị nào";
    HintAddUnitRows {} =>
        "add one row per unit (wide) or per value (long)",
        "hãy thêm mỗi đơn vị một dòng (dạng rộng) hoặc mỗi giá trị một dòng (dạng dài)";
    NoUnitColumn {} => "the data has no unit column", "dữ liệu không có cột đơn vị";
    HintSemicolons {} =>
        "the fields are separated by `;`: save the file as CSV with commas (in Excel: CSV UTF-8)",
        "các trường cách nhau bằng `;`: hãy lưu tệp dạng CSV dùng dấu phẩy (trong Excel: CSV UTF-8)";
    HintUnitColumn {} => "name the column `unit` (or COINr's `uCode`)", "hãy đặt tên cột là `unit` (hoặc `uCode` như COINr)";
    LongNeedsColumns {} =>
        "long data needs both an `indicator` and a `value` column",
        "dữ liệu dạng dài cần cả cột `indicator` và cột `value`";
    RaggedRow { cells, headers } =>
        "the row has {cells} cells, the header {headers}",
        "dòng có {cells} ô, dòng tiêu đề có {headers}";
    HintDecimalComma {} =>
        "a decimal comma inside an unquoted number splits it in two cells: write 72.5, or quote the cell",
        "dấu phẩy thập phân trong một số không có ngoặc kép sẽ tách số thành hai ô: hãy ghi 72.5 hoặc đặt ô trong ngoặc kép";
    HintRowCells {} => "give every row as many cells as the header", "mỗi dòng cần có số ô bằng dòng tiêu đề";
    RowNoUnit {} => "the row has no unit id", "dòng không có mã đơn vị";
    HintFillUnit {} => "fill in the unit column", "hãy điền cột đơn vị";
    RowNoPeriod {} => "the row has no period", "dòng không có kỳ đánh giá";
    HintFillPeriod {} =>
        "fill in the period column (e.g. 2025), as on the other rows",
        "hãy điền cột kỳ đánh giá (ví dụ 2025) như các dòng khác";
    RowNoIndicator {} => "the row names no indicator", "dòng không ghi chỉ tiêu nào";
    IndicatorNotInFile { indicator } =>
        "indicator {indicator} is not in the indicator file",
        "chỉ tiêu {indicator} không có trong tệp bộ chỉ số";
    HintCheckIndicatorId {} => "check the id against the indicator file", "hãy đối chiếu mã với tệp bộ chỉ số";
    UnitTwiceInPeriod { unit, period } =>
        "unit {unit} appears twice for period {period}",
        "đơn vị {unit} xuất hiện hai lần trong kỳ {period}";
    HintOneRowPerUnit {} => "keep one row per unit and period", "mỗi đơn vị và kỳ chỉ giữ một dòng";
    UnknownColumn { column } => "column {column} is not known", "cột {column} không xác định";
    HintUnknownColumn {} =>
        "the column is ignored; a data column is unit, name, block, parent, period, a group, a denominator or an indicator id",
        "cột bị bỏ qua; cột dữ liệu là unit, name, block, parent, period, một nhóm, một mẫu số hoặc mã chỉ tiêu";
    ColumnTwice { column, first, second } =>
        "column {column} is given twice (columns {first} and {second})",
        "cột {column} xuất hiện hai lần (cột {first} và {second})";
    HintColumnTwice {} =>
        "keep one column per indicator or field: which of the two holds the right values cannot be guessed",
        "mỗi chỉ tiêu hoặc trường chỉ giữ một cột: không thể đoán cột nào có giá trị đúng";
    UnknownKeyIgnored { name } => "unknown key {name} is ignored", "khoá không xác định {name} bị bỏ qua";
    ValueForUndeclaredUnit { index, unit } =>
        "value {index} is for unit {unit}, which `units` does not declare",
        "giá trị thứ {index} thuộc đơn vị {unit}, không được khai báo trong `units`";
    HintDeclaredUnits { units } => "declared units: {units}", "các đơn vị đã khai báo: {units}";
    ValueNoPeriod { index, unit } =>
        "value {index} (unit {unit}) names no period, unlike the others",
        "giá trị thứ {index} (đơn vị {unit}) không ghi kỳ, khác với các giá trị còn lại";
    HintAddPeriod {} => "add \"period\": \"2025\"", "hãy thêm \"period\": \"2025\"";
    DuplicateJsonKey { name } => "key {name} is given twice", "khoá {name} xuất hiện hai lần";

    // ---- Indicator files: reading ---------------------------------------------------
    WrongTypeDetail { detail } => "a value of the wrong type: {detail}", "giá trị sai kiểu: {detail}";
    MissingFieldNamed { field } => "the field {field} is missing", "thiếu trường {field}";
    UnknownKeyHere { name } => "unknown key {name}", "khoá không xác định {name}";
    HintCheckSpelling {} =>
        "check the spelling; the JSON Schema `indicators/schema.json` lists every key",
        "hãy kiểm tra chính tả; JSON Schema `indicators/schema.json` liệt kê mọi khoá";
    JsonKeyTwice { name } => "key {name} is given twice in this object", "khoá {name} xuất hiện hai lần trong đối tượng này";
    ImetaOnlyHere {} =>
        "this page reads indicator files in TOML or JSON; a COINr iMeta table (CSV or Excel) opens in the ministry view or with the `dti` command",
        "trang này đọc tệp bộ chỉ số dạng TOML hoặc JSON; bảng iMeta của COINr (CSV hoặc Excel) mở được ở trang của bộ hoặc bằng lệnh `dti`";
    ImetaNeedsColumns {} =>
        "a COINr iMeta table needs the columns `iCode` and `Type`",
        "bảng iMeta của COINr cần các cột `iCode` và `Type`";
    HintImetaColumns {} =>
        "the columns are Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent, Type",
        "các cột là Level, iCode, iName, Direction, Weight, Unit, Target, Denominator, Parent, Type";
    ImetaColumnIgnored { column } => "iMeta column {column} is ignored", "cột iMeta {column} bị bỏ qua";
    FieldProblem { field, problem } => "{field}: {problem}", "{field}: {problem}";
    RowNoIcode {} => "the row has no iCode", "dòng không có iCode";
    UnknownImetaType { value } => "unknown iMeta Type {value}", "Type {value} của iMeta không xác định";
    HintImetaType {} =>
        "use Indicator, Aggregate, Group, Denominator or Other",
        "hãy dùng Indicator, Aggregate, Group, Denominator hoặc Other";
    JsonOneObject {} =>
        "an indicator file in JSON is one object `{ ... }`",
        "tệp bộ chỉ số dạng JSON là một đối tượng `{ ... }`";
    JsonEmptyFile {} =>
        "the file is empty: an indicator file in JSON is one object `{ ... }`",
        "tệp trống: tệp bộ chỉ số dạng JSON là một đối tượng `{ ... }`";
    NullInList {} => "`null` is not allowed in a list", "không được dùng `null` trong danh sách";

    // ---- Indicator files: checking ------------------------------------------------------
    WhatTheIndicatorFile {} => "the indicator file", "tệp bộ chỉ số";
    WhatABlock {} => "a block", "một khối";
    WhatAVariable {} => "a variable", "một biến";
    WhatANode {} => "a node", "một nút";
    WhatAnIndicator {} => "an indicator", "một chỉ tiêu";
    WhatALevel {} => "a level", "một mức";
    WhatALevelSet {} => "a level set", "một bộ mức";
    WhatAnAlert {} => "an alert rule", "một quy tắc cảnh báo";
    WhatAnItem {} => "a checklist item", "một mục kiểm tra";
    WhatAggregation {} => "aggregation", "phép tổng hợp";
    WhatScoringMethod {} => "scoring method", "phương pháp chấm điểm";
    WhatValueType {} => "value type", "kiểu giá trị";
    WhatDirection {} => "direction", "chiều";
    WhatMissingRule {} => "missing-value rule", "quy tắc xử lý giá trị thiếu";
    WhatImputation {} => "imputation", "phương pháp điền giá trị thiếu";
    WhatNormalisation {} => "normalisation", "phương pháp chuẩn hoá";
    WhatOutlierTreatment {} => "outlier treatment", "phương pháp xử lý ngoại lai";
    WhatAlertKind {} => "alert kind", "loại cảnh báo";
    WhatSeverity {} => "severity", "mức độ nghiêm trọng";
    WhatComparison {} => "comparison", "phép so sánh";
    TextLongerThan { language, limit } =>
        "this text ({language}) is longer than {limit} characters",
        "văn bản này ({language}) dài hơn {limit} ký tự";
    NoId { what } => "{what} has no `id`", "{what} không có `id`";
    InvalidId { id } => "{id} is not a valid id", "{id} không phải là mã hợp lệ";
    HintValidId {} =>
        "ids are not empty and contain no spaces, commas, quotes or control characters",
        "mã không được trống và không chứa khoảng trắng, dấu phẩy, dấu nháy hay ký tự điều khiển";
    IdNotNfc { id } =>
        "{id} is written with combining marks, not in Unicode NFC form",
        "{id} được viết bằng dấu tổ hợp, không ở dạng Unicode NFC";
    HintRetypeId {} =>
        "retype the id with precomposed letters: ids are compared in NFC, so that two ids that print the same are one id",
        "hãy gõ lại mã bằng chữ dựng sẵn: mã được so sánh ở dạng NFC, để hai mã trông giống nhau là một";
    UnknownName { what, name } => "unknown {what} {name}", "{what} không xác định: {name}";
    HintUseOne { name } => "use {name}", "hãy dùng {name}";
    HintUseOneOf { names, last } => "use {names} or {last}", "hãy dùng {names} hoặc {last}";
    MustBeFinite { name } => "{name} must be a finite number", "{name} phải là số hữu hạn";
    NumberBeyondLimit { name, value, limit } =>
        "{name} is {value}, larger than the {limit} this tool computes with",
        "{name} bằng {value}, lớn hơn {limit} mà công cụ này tính toán được";
    OutsideShare { name, value } => "{name} is {value}, outside 0 to 1", "{name} bằng {value}, nằm ngoài khoảng 0 đến 1";
    HintShare {} => "give a share, e.g. 0.9 for 90%", "hãy ghi một tỉ lệ, ví dụ 0.9 cho 90%";
    MustBePositive { name, value } =>
        "{name} is {value}; it must be positive and finite",
        "{name} bằng {value}; phải là số dương hữu hạn";
    HintPositiveWeight {} =>
        "use 0 < weight; to keep an indicator without points, set `info_only = true`",
        "hãy dùng trọng số lớn hơn 0; để giữ một chỉ tiêu không tính điểm, đặt `info_only = true`";
    WeightBeyondLimit { value, limit } =>
        "`weight` is {value}, more than the {limit} this tool allows",
        "`weight` bằng {value}, lớn hơn {limit} mà công cụ này cho phép";
    HintWeightsRelative {} =>
        "weights are relative: 2 weighs twice as much as 1",
        "trọng số là tương đối: 2 nặng gấp đôi 1";
    BlockTwice { id } => "block {id} is declared twice", "khối {id} được khai báo hai lần";
    DeclaredTwiceIn { id, section } => "{id} is declared twice in {section}", "{id} được khai báo hai lần trong {section}";
    TooManyNodes { count, limit } =>
        "the file declares {count} nodes and indicators, more than the {limit} this tool reads",
        "tệp khai báo {count} nút và chỉ tiêu, nhiều hơn {limit} mà công cụ này đọc được";
    IdTwice { id } => "id {id} is used twice", "mã {id} được dùng hai lần";
    HintFirstUsedAt { line } => "first used at line {line}", "dùng lần đầu ở dòng {line}";
    IndicatorNoParent { id } => "indicator {id} has no `parent`", "chỉ tiêu {id} không có `parent`";
    HintNamePillar {} => "name the pillar it belongs to", "hãy ghi trụ cột mà chỉ tiêu thuộc về";
    HintDidYouMean { name } => "did you mean {name}?", "có phải ý bạn là {name}?";
    HintDeclareParent {} => "declare the parent in `[[nodes]]`", "hãy khai báo nút cha trong `[[nodes]]`";
    ParentMissing { parent, id } => "parent {parent} of {id} does not exist", "nút cha {parent} của {id} không tồn tại";
    IndicatorAsParent { parent, id } =>
        "{parent} is an indicator and cannot be the parent of {id}",
        "{parent} là chỉ tiêu nên không thể là nút cha của {id}";
    HintIndicatorsAreLeaves {} =>
        "indicators are leaves; make the parent a node",
        "chỉ tiêu là lá của cây; hãy để nút cha là một nút";
    OwnAncestor { id, chain } => "{id} is its own ancestor: {chain}", "{id} là tổ tiên của chính nó: {chain}";
    NoRootNode {} => "no node without a parent: the tree has no root", "không có nút nào không có nút cha: cây không có gốc";
    HintIndexHasNoParent {} => "the index is the one node without `parent`", "chỉ số là nút duy nhất không có `parent`";
    NoNodes {} => "the indicator file declares no nodes and no indicators", "tệp bộ chỉ số không khai báo nút hay chỉ tiêu nào";
    HintAddNodes {} =>
        "add `[[nodes]]` for the index and pillars and `[[indicators]]`",
        "hãy thêm `[[nodes]]` cho chỉ số và các trụ cột, và `[[indicators]]`";
    SeveralRoots { nodes } => "several nodes have no parent: {nodes}", "nhiều nút không có nút cha: {nodes}";
    HintOneIndex {} => "one node is the index; give the others a `parent`", "một nút là chỉ số; hãy ghi `parent` cho các nút còn lại";
    TooDeep { id, depth, limit } =>
        "{id} is {depth} levels below the index, more than the {limit} this tool reads",
        "{id} nằm dưới chỉ số {depth} cấp, nhiều hơn {limit} mà công cụ này đọc được";
    HintFewLevels {} =>
        "an index, pillars, sub-pillars and indicators need a handful of levels",
        "chỉ số, trụ cột, trụ cột con và chỉ tiêu chỉ cần vài cấp";
    NodeNoChildren { id } => "node {id} has no children", "nút {id} không có nút con";
    HintAddChildren {} =>
        "add indicators with `parent` set to it, or remove it",
        "hãy thêm chỉ tiêu có `parent` là nút này, hoặc xoá nút";
    ExponentFinite {} =>
        "the exponent `p` of a generalised mean must be finite and not 0",
        "số mũ `p` của trung bình tổng quát phải hữu hạn và khác 0";
    HintExponentZero {} => "p = 0 is the geometric mean: use `geometric`", "p = 0 là trung bình nhân: hãy dùng `geometric`";
    ExponentMissing {} => "a generalised mean needs the exponent `p`", "trung bình tổng quát cần số mũ `p`";
    OnlyInfoOnly { id } => "node {id} has only info-only indicators", "nút {id} chỉ có các chỉ tiêu để tham khảo";
    NeedsPositive { method, id, child, low } =>
        "{method} aggregation of {id} needs values above 0, but {child} can score {low}",
        "phép tổng hợp {method} của {id} cần giá trị lớn hơn 0, nhưng {child} có thể đạt {low}";
    HintPositiveRange {} =>
        "normalise onto a range above 0 (e.g. minmax from 1 to 100), or use arithmetic aggregation",
        "hãy chuẩn hoá về khoảng lớn hơn 0 (ví dụ minmax từ 1 đến 100), hoặc dùng trung bình cộng";
    NeedsPositiveUnbounded { method, id, child } =>
        "{method} aggregation of {id} needs values above 0, and {child} is not bounded below",
        "phép tổng hợp {method} của {id} cần giá trị lớn hơn 0, và {child} không bị chặn dưới";
    HintStopsAtZero {} =>
        "the evaluation stops with an error if a value is 0 or less",
        "việc đánh giá sẽ dừng với lỗi nếu có giá trị bằng 0 hoặc nhỏ hơn";
    PointsMismatch { id, declared, high } =>
        "{id} declares {declared} maximum points but its children give at most {high}",
        "{id} khai báo điểm tối đa {declared} nhưng các nút con cho tối đa {high}";
    HintPointsAddUp {} =>
        "make the children's maximum points add up to it",
        "hãy để tổng điểm tối đa của các nút con bằng giá trị này";
    WhatEvidenceRequirement {} => "evidence requirement", "yêu cầu minh chứng";
    WhatDataSource {} => "data source", "nguồn dữ liệu";
    BlockNotDeclared { block } => "block {block} is not declared", "khối {block} chưa được khai báo";
    DenominatorNotDeclared { name } => "denominator {name} is not declared", "mẫu số {name} chưa được khai báo";
    HintDeclareDenominator {} => "declare it in `[[denominators]]`", "hãy khai báo trong `[[denominators]]`";
    ScoringPointsMismatch { id, declared, high } =>
        "{id} declares {declared} maximum points but its scoring gives at most {high}",
        "{id} khai báo điểm tối đa {declared} nhưng cách chấm điểm cho tối đa {high}";
    HintBestBand {} =>
        "make the best band's points (or the scale) equal to max_points",
        "hãy để điểm của khoảng cao nhất (hoặc thang điểm) bằng max_points";
    MinBelowMax { min, max } => "`min` ({min}) must be below `max` ({max})", "`min` ({min}) phải nhỏ hơn `max` ({max})";
    LabelNeedsValue {} => "an ordinal label needs `value`", "nhãn của thang thứ bậc cần `value`";
    LevelLabelledTwice { value } => "level {value} is labelled twice", "mức {value} được gán nhãn hai lần";
    OrdinalNeedsLabels {} => "an ordinal indicator needs `labels`", "chỉ tiêu thứ bậc cần `labels`";
    HintLabels {} =>
        "e.g. labels = [{ value = 1, name = \"Level 1\" }, ...]",
        "ví dụ labels = [{ value = 1, name = \"Mức 1\" }, ...]";
    ItemTwice { id } => "checklist item {id} is declared twice", "mục kiểm tra {id} được khai báo hai lần";
    ItemPoints { id } => "points of item {id} must be finite and not negative", "điểm của mục {id} phải hữu hạn và không âm";
    ChecklistNeedsItems {} => "a checklist indicator needs `items`", "chỉ tiêu dạng danh mục kiểm tra cần `items`";
    IgnoredForType { key, kind } => "{key} is ignored for the {kind} type", "{key} bị bỏ qua với kiểu {kind}";
    WhatTreatmentFallback {} => "treatment fallback", "phương án dự phòng khi xử lý ngoại lai";
    ScreenNeedsCoverage {} => "`screen` needs `min_coverage`", "`screen` cần `min_coverage`";
    WinmaxBeyondLimit { value, limit } =>
        "`winmax` is {value}, more than the {limit} points this tool winsorises",
        "`winmax` bằng {value}, nhiều hơn {limit} điểm mà công cụ này winsorise được";
    GroupNotDeclared { group } => "group {group} is not declared", "nhóm {group} chưa được khai báo";
    HintDeclareGroup {} =>
        "declare it in `[[groups]]`; it names a column of the data",
        "hãy khai báo trong `[[groups]]`; nhóm là tên một cột của dữ liệu";
    GroupImputationNeedsGroup {} => "group imputation needs `group`", "điền giá trị thiếu theo nhóm cần `group`";
    ScaleMaxMismatch { declared, high } =>
        "`scale.max` is {declared}, but the index scores up to {high}: the published score and the results files would disagree",
        "`scale.max` bằng {declared}, nhưng chỉ số đạt tối đa {high}: điểm công bố và các tệp kết quả sẽ không khớp";
    HintScaleMax {} =>
        "remove `scale.max`, or make the index's points (its `max_points` or its children's) add up to it",
        "hãy bỏ `scale.max`, hoặc để điểm của chỉ số (`max_points` của nó hoặc của các nút con) cộng lại bằng giá trị này";
    AtMost15 { key } => "{key} must be at most 15", "{key} không được lớn hơn 15";
    LevelNodeMissing { id, node } =>
        "level {id} classifies {node}, which does not exist",
        "mức {id} phân loại {node}, nút này không tồn tại";
    LevelNoMin { id } => "level {id} has no `min`", "mức {id} không có `min`";
    HintLevelMin {} => "give the lowest score of the level, e.g. min = 0.75", "hãy ghi điểm thấp nhất của mức, ví dụ min = 0.75";
    RequirementNeeds { key } => "a requirement needs {key}", "một điều kiện cần {key}";
    RequirementNodeMissing { node } => "requirement names {node}, which does not exist", "điều kiện nêu {node}, nút này không tồn tại";
    RequirementUnbounded { node } =>
        "{node} has no bounded range, so its share cannot be tested",
        "{node} không có khoảng điểm giới hạn nên không thể kiểm tra tỉ lệ";
    HintBoundedNode {} => "require a node whose scoring is bounded", "hãy đặt điều kiện trên một nút có điểm giới hạn";
    LevelTwice { id, node } => "level {id} is declared twice for {node}", "mức {id} được khai báo hai lần cho {node}";
    LevelsSameStart { first, second, min } =>
        "levels {first} and {second} start at the same score {min}",
        "các mức {first} và {second} bắt đầu ở cùng điểm {min}";
    LevelOutsideRange { id, min, node, low, high } =>
        "level {id} starts at {min}, outside the scores {node} can take ({low} to {high})",
        "mức {id} bắt đầu ở {min}, ngoài khoảng điểm của {node} ({low} đến {high})";
    HintLevelScale {} =>
        "levels are on the node's own score, e.g. points out of 1000",
        "mức tính trên điểm của chính nút đó, ví dụ điểm trên thang 1000";
    ScoresWithoutLevel { min, node } => "scores below {min} of {node} get no level", "điểm của {node} dưới {min} không thuộc mức nào";
    HintLowestLevelAt { low } => "add a lowest level starting at {low}", "hãy thêm mức thấp nhất bắt đầu từ {low}";
    HintLowestLevel {} =>
        "add a lowest level that starts at the lowest score a unit can have",
        "hãy thêm mức thấp nhất bắt đầu từ điểm thấp nhất mà một đơn vị có thể có";
    RuleNeedsMethod {} => "a scoring rule needs `method`", "quy tắc chấm điểm cần `method`";
    HintMethod {} => "e.g. method = \"bands\"", "ví dụ method = \"bands\"";
    ParameterUnused { name, method } => "{name} is not used by {method} scoring", "{name} không được dùng trong cách chấm {method}";
    ScoringNeedsType { method, wanted, kind } =>
        "{method} scoring needs a {wanted} indicator, not {kind}",
        "cách chấm {method} cần chỉ tiêu kiểu {wanted}, không phải {kind}";
    HintSetType { wanted } => "set {wanted} or choose another scoring method", "hãy đặt {wanted} hoặc chọn cách chấm khác";
    GoalpostsNeedBounds {} => "goalposts scoring needs `lower` and `upper`", "cách chấm goalposts cần `lower` và `upper`";
    HintGoalposts {} => "e.g. lower = 0, upper = 100", "ví dụ lower = 0, upper = 100";
    GoalpostsDiffer {} => "the goalposts `lower` and `upper` must differ", "`lower` và `upper` của goalposts phải khác nhau";
    TargetNeedsTarget {} => "target scoring needs `target`", "cách chấm target cần `target`";
    MinmaxLowHigh { low, high } => "minmax `low` ({low}) must be below `high` ({high})", "`low` ({low}) của minmax phải nhỏ hơn `high` ({high})";
    FractionLower {} =>
        "`fraction-of-max` scores a value as its share of the largest, so a higher value always scores more: it cannot score `direction = \"lower\"`",
        "`fraction-of-max` chấm một giá trị theo tỉ lệ so với giá trị lớn nhất, nên giá trị cao hơn luôn được điểm cao hơn: không dùng được với `direction = \"lower\"`";
    HintFractionLower {} =>
        "use `minmax` or `goalposts`, which turn the direction round",
        "hãy dùng `minmax` hoặc `goalposts`, là các cách chấm đảo được chiều";
    FractionNegative { kind } =>
        "`fraction-of-max` needs values of 0 or more, but a {kind} indicator may be negative",
        "`fraction-of-max` cần giá trị từ 0 trở lên, nhưng chỉ tiêu kiểu {kind} có thể âm";
    HintFractionNegative {} => "give the type `min = 0`, or use `minmax`", "hãy đặt `min = 0` cho kiểu giá trị, hoặc dùng `minmax`";
    LevelsNeedLevels {} => "levels scoring needs `levels`", "cách chấm levels cần `levels`";
    HintLevelsMap {} => "e.g. levels = { \"1\" = 0, \"2\" = 5, \"3\" = 10 }", "ví dụ levels = { \"1\" = 0, \"2\" = 5, \"3\" = 10 }";
    LevelKeyNotNumber { level } => "level {level} is not a number", "mức {level} không phải là số";
    LevelNoLabel { level } => "level {level} has no label", "mức {level} không có nhãn";
    HintLevelLabels {} =>
        "every scored level must be one of the indicator's labels",
        "mỗi mức được chấm điểm phải là một nhãn của chỉ tiêu";
    LevelPointsFinite { level } => "points of level {level} must be finite", "điểm của mức {level} phải hữu hạn";
    LevelNoPoints { level } => "level {level} has no points", "mức {level} không có điểm";
    HintEveryLabelPoints {} => "give every label points, 0 included", "hãy cho điểm mọi nhãn, kể cả 0";
    BandsNeedBands {} => "bands scoring needs `bands`", "cách chấm bands cần `bands`";
    HintBands {} =>
        "e.g. bands = [{ to = 50, points = 0 }, { from = 50, points = 10 }]",
        "ví dụ bands = [{ to = 50, points = 0 }, { from = 50, points = 10 }]";
    BandOverlap { start, end } => "band from {start} overlaps the band ending at {end}", "khoảng từ {start} chồng lên khoảng kết thúc ở {end}";
    HintOneBand {} =>
        "each value must fall in exactly one band: make `from` equal the previous band's `to`",
        "mỗi giá trị phải thuộc đúng một khoảng: hãy để `from` bằng `to` của khoảng trước";
    BandGap { from, to } => "values from {from} to {to} fall in no band", "giá trị từ {from} đến {to} không thuộc khoảng nào";
    HintBandContinues {} => "make `from` equal the previous band's `to`", "hãy để `from` bằng `to` của khoảng trước";
    HintFirstBand {} =>
        "start the first band at the lowest allowed value, or leave `from` out",
        "hãy bắt đầu khoảng đầu tiên ở giá trị nhỏ nhất cho phép, hoặc bỏ `from`";
    HintLastBand {} =>
        "end the last band at the highest allowed value, or leave `to` out",
        "hãy kết thúc khoảng cuối ở giá trị lớn nhất cho phép, hoặc bỏ `to`";
    BandBelow { to, low } =>
        "band ending at {to} lies below the lowest allowed value {low}",
        "khoảng kết thúc ở {to} nằm dưới giá trị nhỏ nhất cho phép {low}";
    BandAbove { from, high, kind } =>
        "band starting at {from} lies above the highest allowed value {high} of a {kind} indicator",
        "khoảng bắt đầu ở {from} nằm trên giá trị lớn nhất cho phép {high} của chỉ tiêu kiểu {kind}";
    AlertTwice { id } => "two alert rules are called {id}", "hai quy tắc cảnh báo cùng tên {id}";
    AlertSeverityUnknown { id, severity } => "alert {id} has severity {severity}", "cảnh báo {id} có mức độ {severity}";
    HintSeverities {} => "use info, warning or critical", "hãy dùng info (thông tin), warning (cảnh báo) hoặc critical (nghiêm trọng)";
    AlertNoKind { id } => "alert {id} has no `kind`", "cảnh báo {id} không có `kind`";
    HintAlertKinds { kinds } => "use {kinds}", "hãy dùng {kinds}";
    AlertKindUnknown { id, kind } => "alert {id} has kind {kind}", "cảnh báo {id} có loại {kind}";
    AlertFieldUnused { kind, field } => "a {kind} rule does not use {field}", "quy tắc loại {kind} không dùng {field}";
    HintRuleReadsNothing { kind } => "a {kind} rule reads no other field", "quy tắc loại {kind} không đọc trường nào khác";
    HintRuleReads { kind, fields } => "a {kind} rule reads {fields}", "quy tắc loại {kind} đọc {fields}";
    AlertNoMessage { id } => "alert {id} has no `message`", "cảnh báo {id} không có `message`";
    HintAlertMessage {} =>
        "say what a person should know, e.g. message = { vi = \"...\", en = \"...\" }",
        "hãy nói điều người đọc cần biết, ví dụ message = { vi = \"...\", en = \"...\" }";
    AlertBlockUnknown { id, block } =>
        "alert {id} watches block {block}, which the file does not declare",
        "cảnh báo {id} theo dõi khối {block}, khối này không được khai báo trong tệp";
    TargetOneBound { id } =>
        "target rule {id} needs exactly one of `at_least` and `at_most`",
        "quy tắc mục tiêu {id} cần đúng một trong `at_least` và `at_most`";
    HintExample { example } => "e.g. {example}", "ví dụ {example}";
    TargetNoDeadline { id } => "target rule {id} has no deadline `by`", "quy tắc mục tiêu {id} không có hạn `by`";
    NotADate { value } => "{value} is not a date", "{value} không phải là ngày";
    AlertNothingToCheck { id } => "alert {id} says nothing to check", "cảnh báo {id} không nêu điều gì cần kiểm tra";
    HintOneOf { example } => "give one of: {example}", "hãy ghi một trong các trường: {example}";
    MustNotBeNegative { name, value } => "{name} is {value}; it must not be negative", "{name} bằng {value}; không được âm";
    AlertNoNode { id } => "alert {id} has no `node`", "cảnh báo {id} không có `node`";
    HintAlertNode {} =>
        "name the node or indicator it watches, e.g. node = \"cybersecurity\"",
        "hãy ghi nút hoặc chỉ tiêu mà cảnh báo theo dõi, ví dụ node = \"cybersecurity\"";
    AlertNodeUnknown { id, node } => "alert {id} watches {node}, which does not exist", "cảnh báo {id} theo dõi {node}, nút này không tồn tại";
    AlertNotIndicator { id, node } =>
        "alert {id} reads the value of {node}, which is not an indicator",
        "cảnh báo {id} đọc giá trị của {node}, đây không phải là chỉ tiêu";
    HintAlertIndicator {} =>
        "target, verification-gap and compliance rules watch an indicator's value",
        "các quy tắc target, verification-gap và compliance theo dõi giá trị của một chỉ tiêu";
    AlertLevelUnknown { id, level, node } =>
        "alert {id} names level {level}, which does not classify {node}",
        "cảnh báo {id} nêu mức {level}, mức này không phân loại {node}";
    HintAlertLevel {} =>
        "name a level declared in [[levels]] for the rule's node",
        "hãy nêu một mức khai báo trong [[levels]] cho nút của quy tắc";
    AlertItemsNotChecklist { id, node } =>
        "alert {id} lists items, but {node} is not a checklist",
        "cảnh báo {id} liệt kê các mục, nhưng {node} không phải danh mục kiểm tra";
    AlertItemUnknown { id, item, node } =>
        "alert {id} requires item {item}, which {node} does not list",
        "cảnh báo {id} yêu cầu mục {item}, mục này không có trong {node}";
    BandNeedsPoints {} => "a band needs `points`", "một khoảng cần `points`";
    BandFromTo { from, to } => "band `from` ({from}) must be below `to` ({to})", "`from` ({from}) của khoảng phải nhỏ hơn `to` ({to})";

    // ---- Submissions and merging ------------------------------------------------------
    NotASubmission { found, expected } =>
        "not a dti submission (format {found}, expected {expected})",
        "không phải bản nộp của dti (định dạng {found}, cần {expected})";
    NoDataFile {} => "no data file", "chưa có tệp dữ liệu";
    NoFileReadable {} => "none of the files could be read", "không đọc được tệp nào";
    FileSkipped {} => "the file is skipped (see its problems)", "tệp này bị bỏ qua (xem các vấn đề của tệp)";
    ConflictLastKept { unit, period, indicator, first, first_file, later, later_file } =>
        "{unit}, period {period}, {indicator}: {first} ({first_file}) and {later} ({later_file}); the file opened last is kept",
        "{unit}, kỳ {period}, {indicator}: {first} ({first_file}) và {later} ({later_file}); giữ giá trị của tệp mở sau cùng";
    DescriptionConflict { unit, first, first_file, later, later_file } =>
        "{unit} is described as {first} ({first_file}) and {later} ({later_file}); the file opened last is kept",
        "{unit} được mô tả là {first} ({first_file}) và {later} ({later_file}); giữ mô tả của tệp mở sau cùng";
    EditedAfterExport {} =>
        "changed after its export (its seal does not match its content); its values count all the same",
        "đã bị sửa sau khi xuất (mã niêm phong không khớp nội dung); các giá trị vẫn được tính";
    MadeForOtherFile { id, version } =>
        "made for another indicator file ({id} version {version}): check that its indicators mean the same",
        "được lập theo một tệp bộ chỉ số khác ({id} phiên bản {version}): hãy kiểm tra các chỉ tiêu có cùng ý nghĩa";
    EvaluationFailed { detail } => "the data could not be evaluated: {detail}", "không đánh giá được dữ liệu: {detail}";
    NumberNotWritten { detail } =>
        "the number could not be written into the file: {detail}",
        "không ghi được số vào tệp: {detail}";
}
