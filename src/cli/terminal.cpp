#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "cli/errors.hpp"

namespace ducklake::cli {
namespace {

std::string Colored(const char *code, const std::string &text) {
  if (!Terminal::Get().color) return text;
  return fmt::format("\033[{}m{}\033[0m", code, text);
}

bool LooksNumeric(const std::string &text) {
  if (text.empty()) return false;
  char *end = nullptr;
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// Cuts text to `width` display columns, marking the cut with '…'.
std::string Cut(const std::string &text, size_t width) {
  if (DisplayWidth(text) <= width) return text;
  std::string out;
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (columns + 1 >= width) break;
    out.append(text, i, length);
    columns++;
    i += length;
  }
  return out + "…";
}

// Control characters would move the cursor: shown escaped in a table.
std::string Printable(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else out += c;
  }
  return out;
}

std::string Pad(const std::string &text, size_t width, bool right) {
  size_t shown = DisplayWidth(text);
  if (shown >= width) return text;
  std::string padding(width - shown, ' ');
  return right ? padding + text : text + padding;
}

}  // namespace

OutputFormat ParseOutputFormat(const std::string &name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "csv") return OutputFormat::kCsv;
  throw UsageError("--format must be table, json or csv, not '" + name + "'");
}

const Terminal &Terminal::Get() {
  static const Terminal terminal = [] {
    Terminal t;
    t.stdout_tty = isatty(STDOUT_FILENO) == 1;
    t.stderr_tty = isatty(STDERR_FILENO) == 1;
    const char *no_color = std::getenv("NO_COLOR");
    const char *term = std::getenv("TERM");
    t.color = t.stdout_tty && !(no_color && *no_color) && !(term && std::string(term) == "dumb");
    winsize size{};
    if (t.stdout_tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) t.width = size.ws_col;
    return t;
  }();
  return terminal;
}

size_t DisplayWidth(const std::string &text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) width++;
  }
  return width;
}

std::string HumanBytes(uint64_t bytes) {
  static const char *kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    unit++;
  }
  return value < 10 ? fmt::format("{:.2f} {}", value, kUnits[unit]) : value < 100 ? fmt::format("{:.1f} {}", value, kUnits[unit])
                                                                          : fmt::format("{:.0f} {}", value, kUnits[unit]);
}

std::string HumanCount(int64_t count) {
  auto digits = std::to_string(count < 0 ? -count : count);
  std::string out;
  for (size_t i = 0; i < digits.size(); i++) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return count < 0 ? "-" + out : out;
}

std::string HumanDuration(double seconds) {
  if (seconds < 1) return fmt::format("{:.0f} ms", seconds * 1000);
  if (seconds < 60) return fmt::format("{:.1f} s", seconds);
  auto whole = static_cast<int64_t>(seconds);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, (whole % 3600) / 60);
}

std::string CsvField(const std::string &value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CellText(const nlohmann::json &value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string FieldText(const nlohmann::json &object, const char *field) {
  return object.is_object() && object.contains(field) ? CellText(object[field]) : "";
}

void TablePrinter::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void TablePrinter::Print(OutputFormat format) const {
  const auto &terminal = Terminal::Get();
  if (format == OutputFormat::kCsv) {
    std::string line;
    for (size_t c = 0; c < columns_.size(); c++) line += (c ? "," : "") + CsvField(columns_[c].name);
    std::cout << line << "\n";
    for (const auto &row : rows_) {
      line.clear();
      for (size_t c = 0; c < row.size(); c++) line += (c ? "," : "") + CsvField(row[c]);
      std::cout << line << "\n";
    }
    return;
  }
  if (format == OutputFormat::kJson) {
    auto list = nlohmann::json::array();
    for (const auto &row : rows_) {
      auto object = nlohmann::json::object();
      for (size_t c = 0; c < row.size(); c++) {
        bool numeric = columns_[c].kind != ColumnKind::kText && LooksNumeric(row[c]);
        object[columns_[c].name] = numeric ? nlohmann::json::parse(row[c]) : nlohmann::json(row[c]);
      }
      list.push_back(std::move(object));
    }
    PrintJson(list);
    return;
  }
  // The cells as they are shown.
  std::vector<std::vector<std::string>> shown;
  shown.reserve(rows_.size());
  for (const auto &row : rows_) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < row.size(); c++) {
      const auto &value = row[c];
      std::string cell = value;
      if (terminal.stdout_tty && LooksNumeric(value)) {
        if (columns_[c].kind == ColumnKind::kBytes) cell = HumanBytes(std::strtoull(value.c_str(), nullptr, 10));
        if (columns_[c].kind == ColumnKind::kCount) cell = HumanCount(std::strtoll(value.c_str(), nullptr, 10));
      }
      cells.push_back(terminal.stdout_tty ? Printable(cell) : cell);
    }
    shown.push_back(std::move(cells));
  }
  std::vector<size_t> widths(columns_.size());
  for (size_t c = 0; c < columns_.size(); c++) {
    widths[c] = DisplayWidth(columns_[c].name);
    for (const auto &row : shown) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  if (terminal.stdout_tty) {
    // Too wide for the terminal: the widest columns give up space first, none below 8.
    auto total = [&] {
      size_t sum = 0;
      for (auto w : widths) sum += w + 2;
      return sum;
    };
    while (total() > static_cast<size_t>(terminal.width)) {
      auto widest = std::max_element(widths.begin(), widths.end());
      if (*widest <= 8) break;
      (*widest)--;
    }
  }
  auto right_aligned = [&](size_t c) { return columns_[c].kind != ColumnKind::kText; };
  std::string header;
  for (size_t c = 0; c < columns_.size(); c++) {
    auto name = terminal.stdout_tty ? Cut(columns_[c].name, widths[c]) : columns_[c].name;
    auto cell = Pad(name, widths[c], right_aligned(c));
    if (c + 1 == columns_.size() && !right_aligned(c)) cell = name;
    header += (c ? "  " : "") + cell;
  }
  auto trimmed = [](std::string line) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line;
  };
  header = trimmed(header);
  std::cout << (terminal.stdout_tty ? Bold(header) : header) << "\n";
  for (const auto &row : shown) {
    std::string line;
    for (size_t c = 0; c < row.size(); c++) {
      auto text = terminal.stdout_tty ? Cut(row[c], widths[c]) : row[c];
      auto cell = (c + 1 == row.size() && !right_aligned(c)) ? text : Pad(text, widths[c], right_aligned(c));
      line += (c ? "  " : "") + cell;
    }
    std::cout << trimmed(line) << "\n";
  }
}

void TablePrinter::Footer(const std::string &text) {
  if (Terminal::Get().stdout_tty) std::cout << Dim(text) << "\n";
}

void PrintJson(const nlohmann::json &value) {
  std::cout << (Terminal::Get().stdout_tty ? value.dump(2) : value.dump()) << "\n";
}

void PrintFields(const std::vector<std::pair<std::string, std::string>> &fields) {
  size_t width = 0;
  for (const auto &[key, value] : fields) width = std::max(width, DisplayWidth(key));
  bool tty = Terminal::Get().stdout_tty;
  for (const auto &[key, value] : fields) {
    auto label = key + ":";
    std::cout << (tty ? Bold(Pad(label, width + 1, false)) : label) << " " << value << "\n";
  }
}

void WriteStdout(const char *data, size_t size) {
  std::cout.write(data, static_cast<std::streamsize>(size));
  if (!std::cout) throw StdoutClosed();
}

std::string Bold(const std::string &text) { return Colored("1", text); }
std::string Dim(const std::string &text) { return Colored("2", text); }
std::string Red(const std::string &text) { return Colored("31", text); }
std::string Green(const std::string &text) { return Colored("32", text); }
std::string Yellow(const std::string &text) { return Colored("33", text); }
std::string Cyan(const std::string &text) { return Colored("36", text); }

Progress::Progress(std::string label, uint64_t total, Unit unit)
    : label_(std::move(label)), total_(total), unit_(unit), enabled_(Terminal::Get().stderr_tty),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() { Finish(); }

void Progress::Add(uint64_t amount) {
  done_ += amount;
  Draw(false);
}

void Progress::Set(uint64_t done) {
  done_ = done;
  Draw(false);
}

void Progress::AddTotal(uint64_t amount) { total_ += amount; }

void Progress::Finish() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  if (drawn_) std::cerr << "\r\033[2K" << std::flush;
}

void Progress::Draw(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;
  // The first 300 ms stay quiet: a quick transfer draws nothing.
  if (!force && (now - last_draw_ < std::chrono::milliseconds(100) || now - start_ < std::chrono::milliseconds(300))) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  uint64_t done = done_, total = total_;
  auto amount = [&](uint64_t value) {
    return unit_ == Unit::kBytes ? HumanBytes(value) : HumanCount(static_cast<int64_t>(value)) + " rows";
  };
  std::string line = label_;
  if (total > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    int filled = static_cast<int>(fraction * 24);
    line += fmt::format("  [{}{}] {:3.0f}%  {} / {}", std::string(filled, '#'), std::string(24 - filled, ' '),
                        fraction * 100, amount(done), amount(total));
  } else {
    line += "  " + amount(done);
  }
  if (elapsed > 0.2) {
    double rate = static_cast<double>(done) / elapsed;
    line += unit_ == Unit::kBytes ? fmt::format("  {}/s", HumanBytes(static_cast<uint64_t>(rate)))
                                  : fmt::format("  {} rows/s", HumanCount(static_cast<int64_t>(rate)));
    if (total > done && rate > 0) line += "  ETA " + HumanDuration(static_cast<double>(total - done) / rate);
  }
  winsize size{};
  size_t width = ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 10 ? size.ws_col - 1 : 79;
  if (DisplayWidth(line) > width) line = Cut(line, width);
  std::cerr << "\r\033[2K" << line << std::flush;
  drawn_ = true;
}

}  // namespace ducklake::cli
