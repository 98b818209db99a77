// ducklake ls | stat | cat | rm | cp | mv | mirror: objects in volumes (dl://VOLUME/KEY) and local
// files, through the API.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/command_context.hpp"
#include "cli/transfers.hpp"

namespace ducklake::cli {
namespace {

namespace fs = std::filesystem;

struct TransferFlags {
  bool recursive = false;
  int parallel = 4;
  uint64_t multipart_threshold = 64ULL << 20;
  uint64_t part_size = 16ULL << 20;

  TransferOptions Options() const { return {parallel, multipart_threshold, part_size}; }
};

void AddTransferFlags(CLI::App *command, TransferFlags &flags) {
  command->add_option("-j,--parallel", flags.parallel, "transfers at once (default 4)")->check(CLI::Range(1, 64));
  command->add_option("--multipart-threshold", flags.multipart_threshold,
                      "files this large or larger go up in parts (default 64 MiB)")
      ->check(CLI::Range(uint64_t{5} << 20, uint64_t{5} << 40));
  command->add_option("--part-size", flags.part_size, "bytes per part (default 16 MiB, at least 5 MiB)")
      ->check(CLI::Range(uint64_t{5} << 20, uint64_t{5} << 30));
}

// A key's path relative to where a copy lands must not climb out of it.
fs::path SafeRelative(const std::string &relative, const std::string &key) {
  fs::path path(relative);
  if (relative.empty() || path.is_absolute()) throw UsageError("object key '" + key + "' cannot name a local file");
  for (const auto &part : path) {
    if (part == ".." || part == ".") throw UsageError("object key '" + key + "' cannot name a local file");
  }
  return path;
}

std::string BaseName(const std::string &key) {
  auto slash = key.find_last_of('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

bool IsPrefix(const std::string &key) { return key.empty() || key.back() == '/'; }

// The prefix a recursive command works under: "dir" means "dir/".
std::string FolderPrefix(const std::string &key) { return IsPrefix(key) ? key : key + "/"; }

struct LocalFile {
  std::string relative;  // with '/' separators
  std::string path;
  uint64_t size = 0;
};

// Regular files under `root`, recursively (symbolic links to files followed, to folders not).
std::vector<LocalFile> WalkLocal(const std::string &root) {
  std::vector<LocalFile> files;
  std::error_code error;
  if (!fs::is_directory(root, error)) throw NotFoundError("no such directory: " + root);
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) throw UsageError(fmt::format("cannot list {}: {}", root, error.message()));
    if (!it->is_regular_file()) continue;
    auto relative = fs::relative(it->path(), root).generic_string();
    if (relative.find(".ducklake-partial-") != std::string::npos) continue;  // an interrupted download
    files.push_back({relative, it->path().string(), static_cast<uint64_t>(it->file_size())});
  }
  std::sort(files.begin(), files.end(), [](const LocalFile &a, const LocalFile &b) { return a.relative < b.relative; });
  return files;
}

nlohmann::json StatObject(ApiClient &api, const LakePath &path) {
  if (IsPrefix(path.key)) throw UsageError(path.str() + " is a folder, not an object");
  return api.Get(Query(ObjectPath(path.volume, path.key)).Add("metadata", "1").str());
}

RemoteObject RemoteOf(const nlohmann::json &object) {
  RemoteObject remote;
  remote.key = object.value("key", "");
  remote.size = object.value("size", uint64_t{0});
  remote.etag = object.value("etag", "");
  if (object.contains("sha256") && object["sha256"].is_string()) remote.sha256 = object["sha256"].get<std::string>();
  return remote;
}

// What a finished transfer reports: a line on a terminal, JSON when asked.
void Summary(CommandContext &context, const std::string &verb, uint64_t files, uint64_t bytes,
             std::chrono::steady_clock::time_point start) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (context.Format() == OutputFormat::kJson) {
    PrintJson({{"files", files}, {"bytes", bytes}, {"seconds", seconds}});
    return;
  }
  if (!Terminal::Get().stdout_tty) return;
  auto line = fmt::format("{} {} {} ({}) in {}", verb, HumanCount(static_cast<int64_t>(files)), files == 1 ? "file" : "files",
                          HumanBytes(bytes), HumanDuration(seconds));
  if (seconds > 0.05 && bytes > 0) line += fmt::format(", {}/s", HumanBytes(static_cast<uint64_t>(bytes / seconds)));
  std::cout << line << "\n";
}

// --- ls ----------------------------------------------------------------------------------------

void ListVolumes(CommandContext &context) {
  auto answer = context.Api().Get("/api/v1/volumes");
  if (context.Format() == OutputFormat::kJson) return PrintJson(answer);
  TablePrinter table({{"volume"}, {"description"}});
  for (const auto &volume : answer["volumes"]) {
    table.AddRow({"dl://" + volume.value("name", "") + "/", volume.value("description", "")});
  }
  table.Print(context.Format());
}

// Objects are printed a page at a time, so a listing of any length takes constant memory.
void ListLake(CommandContext &context, const LakePath &path, bool recursive) {
  auto format = context.Format();
  bool tty = Terminal::Get().stdout_tty;
  std::optional<std::string> cursor;
  bool first = true;
  uint64_t count = 0, bytes = 0;
  bool started = false;
  do {
    Query target("/api/v1/volumes/" + Segment(path.volume) + "/objects");
    target.Add("prefix", path.key).Add("limit", 1000).AddIf("cursor", cursor);
    if (!recursive) target.Add("delimiter", "/");
    auto page = context.Api().Get(target.str());
    if (!started) {
      // Only once the first page arrived: an error leaves stdout empty.
      if (format == OutputFormat::kJson) std::cout << "[";
      if (format == OutputFormat::kCsv) std::cout << "key,size,modified_at,etag,sha256\n";
      started = true;
    }
    for (const auto &folder : page["folders"]) {
      auto name = folder.get<std::string>();
      if (format == OutputFormat::kJson) {
        std::cout << (first ? "\n" : ",\n") << nlohmann::json{{"folder", name}}.dump();
      } else if (format == OutputFormat::kCsv) {
        std::cout << CsvField(name) << ",,,,\n";
      } else {
        std::cout << fmt::format("{:>24}  {:>10}  {}\n", "", "DIR", tty ? Cyan(name) : name);
      }
      first = false;
    }
    for (const auto &object : page["objects"]) {
      auto key = object.value("key", "");
      auto size = object.value("size", uint64_t{0});
      count++;
      bytes += size;
      if (format == OutputFormat::kJson) {
        std::cout << (first ? "\n" : ",\n") << object.dump();
      } else if (format == OutputFormat::kCsv) {
        std::cout << CsvField(key) << "," << size << "," << object.value("modified_at", "") << ","
                  << object.value("etag", "") << "," << CellText(object.value("sha256", nlohmann::json())) << "\n";
      } else {
        std::cout << fmt::format("{:>24}  {:>10}  {}\n", object.value("modified_at", ""),
                                 tty ? HumanBytes(size) : std::to_string(size), key);
      }
      first = false;
    }
    cursor.reset();
    if (page["next_cursor"].is_string()) cursor = page["next_cursor"].get<std::string>();
    if (!std::cout) throw StdoutClosed();
  } while (cursor);
  if (format == OutputFormat::kJson) std::cout << (first ? "]\n" : "\n]\n");
  if (format == OutputFormat::kTable) {
    TablePrinter::Footer(fmt::format("{} objects, {}", HumanCount(static_cast<int64_t>(count)), HumanBytes(bytes)));
  }
}

void ListLocal(CommandContext &context, const std::string &path) {
  std::error_code error;
  if (!fs::exists(path, error)) throw NotFoundError("no such file or directory: " + path);
  TablePrinter table({{"modified"}, {"size", ColumnKind::kBytes}, {"name"}});
  auto add = [&table](const fs::directory_entry &entry) {
    auto time = fs::last_write_time(entry.path());
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time - fs::file_time_type::clock::now() +
                                                                       std::chrono::system_clock::now().time_since_epoch());
    std::time_t unix_time = seconds.count();
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&unix_time));
    bool directory = entry.is_directory();
    table.AddRow({text, directory ? "" : std::to_string(entry.file_size()),
                  entry.path().filename().string() + (directory ? "/" : "")});
  };
  if (fs::is_directory(path)) {
    std::vector<fs::directory_entry> entries{fs::directory_iterator(path), fs::directory_iterator()};
    std::sort(entries.begin(), entries.end());
    for (const auto &entry : entries) add(entry);
  } else {
    add(fs::directory_entry(path));
  }
  table.Print(context.Format());
}

// --- cp / mv -----------------------------------------------------------------------------------

struct CopyPlan {
  std::vector<std::pair<LocalFile, LakePath>> uploads;
  std::vector<std::tuple<LakePath, RemoteObject, std::string>> downloads;  // source, object, local path
  std::vector<std::pair<LakePath, LakePath>> copies;
  uint64_t bytes = 0;
};

CopyPlan PlanCopy(CommandContext &context, const std::vector<std::string> &sources, const std::string &destination,
                  bool recursive) {
  CopyPlan plan;
  bool many = sources.size() > 1 || recursive;
  bool to_lake = IsLakePath(destination);
  LakePath lake_target;
  std::string local_target = destination;
  bool into_folder;
  if (to_lake) {
    lake_target = ParseLakePath(destination);
    into_folder = many || IsPrefix(lake_target.key);
    if (many) lake_target.key = lake_target.key.empty() ? "" : FolderPrefix(lake_target.key);
  } else {
    into_folder = many || destination.back() == '/' || fs::is_directory(destination);
  }
  auto lake_key = [&](const std::string &relative) { return into_folder ? lake_target.key + relative : lake_target.key; };
  auto local_path = [&](const std::string &relative, const std::string &key) {
    return into_folder ? (fs::path(local_target) / SafeRelative(relative, key)).string() : local_target;
  };
  for (const auto &source : sources) {
    if (IsLakePath(source)) {
      auto from = ParseLakePath(source);
      auto add = [&](const RemoteObject &object, const std::string &relative) {
        LakePath object_path{from.volume, object.key};
        plan.bytes += object.size;
        if (to_lake) {
          plan.copies.emplace_back(object_path, LakePath{lake_target.volume, lake_key(relative)});
        } else {
          plan.downloads.emplace_back(object_path, object, local_path(relative, object.key));
        }
      };
      if (recursive) {
        auto prefix = FolderPrefix(from.key);
        if (from.key.empty()) prefix = "";
        size_t found = 0;
        ListObjects(context.Api(), from.volume, prefix, [&](const RemoteObject &object) {
          found++;
          add(object, object.key.substr(prefix.size()));
        });
        if (found == 0) throw NotFoundError("no objects under " + source);
      } else {
        if (IsPrefix(from.key)) throw UsageError(source + " is a folder: copy it with -r");
        add(RemoteOf(StatObject(context.Api(), from)), BaseName(from.key));
      }
    } else {
      if (!to_lake) throw UsageError("both '" + source + "' and '" + destination + "' are local: use cp");
      std::error_code error;
      if (fs::is_directory(source, error)) {
        if (!recursive) throw UsageError(source + " is a directory: copy it with -r");
        for (auto &file : WalkLocal(source)) {
          plan.bytes += file.size;
          auto key = lake_key(file.relative);
          plan.uploads.emplace_back(std::move(file), LakePath{lake_target.volume, key});
        }
      } else if (fs::is_regular_file(source, error)) {
        LocalFile file{fs::path(source).filename().string(), source, static_cast<uint64_t>(fs::file_size(source))};
        plan.bytes += file.size;
        auto key = lake_key(file.relative);
        plan.uploads.emplace_back(std::move(file), LakePath{lake_target.volume, key});
      } else {
        throw NotFoundError("no such file or directory: " + source);
      }
    }
  }
  for (const auto &[file, target] : plan.uploads) {
    if (IsPrefix(target.key)) throw UsageError("say the key to upload " + file.path + " to (or end it with '/')");
  }
  return plan;
}

void RunCopy(CommandContext &context, const std::vector<std::string> &sources, const std::string &destination,
             const TransferFlags &flags, bool move) {
  auto start = std::chrono::steady_clock::now();
  auto plan = PlanCopy(context, sources, destination, flags.recursive);
  uint64_t files = plan.uploads.size() + plan.downloads.size() + plan.copies.size();
  Progress progress(move ? "mv" : "cp", plan.bytes);
  {
    Transfers transfers(context.ResolvedEndpoint(), flags.Options(), &progress);
    for (const auto &[file, target] : plan.uploads) transfers.Upload(file.path, file.size, target);
    for (const auto &[source, object, path] : plan.downloads) transfers.Download(source, object.sha256, path);
    for (const auto &[source, target] : plan.copies) transfers.Copy(source, target, move);
    transfers.Wait();
    if (move) {
      // A copy's source goes only once every copy is whole.
      for (const auto &[source, object, path] : plan.downloads) transfers.Delete(source);
      transfers.Wait();
      for (const auto &[file, target] : plan.uploads) fs::remove(file.path);
    }
  }
  progress.Finish();
  Summary(context, move ? "moved" : "copied", files, plan.bytes, start);
}

// Uploads stdin (`ducklake cp - dl://raw/log.txt`): streamed as it comes, of unknown length.
void UploadStdin(CommandContext &context, const std::string &destination) {
  auto target = ParseLakePath(destination);
  if (IsPrefix(target.key)) throw UsageError("say the key to upload stdin to");
  Progress progress("cp -", 0);
  ApiRequest request;
  request.method = "PUT";
  request.target = ObjectPath(target.volume, target.key);
  request.body_reader = [&progress](char *buffer, size_t size) -> size_t {
    for (;;) {
      auto n = ::read(STDIN_FILENO, buffer, size);
      if (n >= 0) {
        progress.Add(static_cast<uint64_t>(n));
        return static_cast<size_t>(n);
      }
      if (errno != EINTR) throw std::runtime_error("cannot read stdin");
      if (InterruptRequested()) throw Interrupted();
    }
  };
  request.headers.emplace_back("Transfer-Encoding", "chunked");
  context.Api().Perform(request);
}

// --- rm ----------------------------------------------------------------------------------------

void RunRemove(CommandContext &context, const std::vector<std::string> &targets, const TransferFlags &flags) {
  std::vector<LakePath> doomed;
  for (const auto &text : targets) {
    auto path = ParseLakePath(text);
    if (flags.recursive) {
      auto prefix = path.key.empty() ? "" : FolderPrefix(path.key);
      ListObjects(context.Api(), path.volume, prefix,
                  [&](const RemoteObject &object) { doomed.push_back({path.volume, object.key}); });
    } else {
      if (IsPrefix(path.key)) throw UsageError(text + " is a folder: remove it with -r");
      doomed.push_back(path);
    }
  }
  Progress progress("rm", doomed.size(), Progress::Unit::kRows);
  Transfers transfers(context.ResolvedEndpoint(), flags.Options(), &progress);
  for (const auto &path : doomed) transfers.Delete(path);
  transfers.Wait();
  progress.Finish();
  if (Terminal::Get().stdout_tty) std::cout << "removed " << HumanCount(static_cast<int64_t>(doomed.size())) << " objects\n";
}

// --- mirror ------------------------------------------------------------------------------------

struct MirrorFlags {
  TransferFlags transfer;
  bool dry_run = false;
  bool remove_extra = false;
  bool size_only = false;
};

void RunMirror(CommandContext &context, const std::string &source, const std::string &destination, const MirrorFlags &flags) {
  auto start = std::chrono::steady_clock::now();
  bool upload = IsLakePath(destination);
  if (IsLakePath(source) == upload) throw UsageError("mirror copies between a local directory and dl://VOLUME/PREFIX");
  auto lake = ParseLakePath(upload ? destination : source);
  auto local = upload ? source : destination;
  auto prefix = lake.key.empty() ? "" : FolderPrefix(lake.key);
  std::map<std::string, RemoteObject> remote;
  ListObjects(context.Api(), lake.volume, prefix,
              [&](const RemoteObject &object) { remote.emplace(object.key.substr(prefix.size()), object); });
  std::map<std::string, LocalFile> local_files;
  std::error_code error;
  if (upload || fs::is_directory(local, error)) {
    for (auto &file : WalkLocal(local)) local_files.emplace(file.relative, std::move(file));
  }
  struct Action {
    std::string relative;
    std::string reason;
    uint64_t size;
  };
  std::vector<Action> copies, deletions;
  uint64_t unchanged = 0, bytes = 0;
  auto differs = [&](const LocalFile &file, const RemoteObject &object) -> std::optional<std::string> {
    if (file.size != object.size) return "size";
    if (flags.size_only) return std::nullopt;
    if (!object.sha256) return "no checksum on the object";
    if (FileSha256(file.path) != *object.sha256) return "checksum";
    return std::nullopt;
  };
  // What the destination lacks or holds otherwise, and what it holds beyond the source.
  auto compare = [&](const auto &source, const auto &destination, auto differs_at) {
    for (const auto &[relative, item] : source) {
      auto found = destination.find(relative);
      auto reason = found == destination.end() ? std::optional<std::string>("new") : differs_at(item, found->second);
      if (reason) {
        copies.push_back({relative, *reason, item.size});
        bytes += item.size;
      } else {
        unchanged++;
      }
    }
    for (const auto &[relative, item] : destination) {
      if (!source.count(relative)) deletions.push_back({relative, "not in the source", item.size});
    }
  };
  if (upload) {
    compare(local_files, remote, [&](const LocalFile &file, const RemoteObject &object) { return differs(file, object); });
  } else {
    for (const auto &[relative, object] : remote) SafeRelative(relative, object.key);
    compare(remote, local_files, [&](const RemoteObject &object, const LocalFile &file) { return differs(file, object); });
  }
  if (!flags.remove_extra) deletions.clear();
  auto format = context.Format();
  if (flags.dry_run) {
    if (format == OutputFormat::kJson) {
      auto list = [](const std::vector<Action> &actions) {
        auto out = nlohmann::json::array();
        for (const auto &action : actions) out.push_back({{"path", action.relative}, {"reason", action.reason}, {"size", action.size}});
        return out;
      };
      PrintJson({{"copy", list(copies)}, {"delete", list(deletions)}, {"unchanged", unchanged}});
      return;
    }
    for (const auto &action : copies) {
      std::cout << (upload ? "upload " : "download ") << action.relative << "  (" << action.reason << ", "
                << HumanBytes(action.size) << ")\n";
    }
    for (const auto &action : deletions) std::cout << "delete " << action.relative << "\n";
    std::cout << fmt::format("dry run: {} to copy ({}), {} to delete, {} unchanged\n", copies.size(), HumanBytes(bytes),
                             deletions.size(), unchanged);
    return;
  }
  Progress progress("mirror", bytes);
  {
    Transfers transfers(context.ResolvedEndpoint(), flags.transfer.Options(), &progress);
    for (const auto &action : copies) {
      LakePath object{lake.volume, prefix + action.relative};
      if (upload) {
        const auto &file = local_files.at(action.relative);
        transfers.Upload(file.path, file.size, object);
      } else {
        auto path = (fs::path(local) / SafeRelative(action.relative, object.key)).string();
        transfers.Download(object, remote.at(action.relative).sha256, path);
      }
    }
    transfers.Wait();
    // Extra files go only once everything else arrived.
    for (const auto &action : deletions) {
      if (upload) transfers.Delete({lake.volume, prefix + action.relative});
    }
    transfers.Wait();
    if (!upload) {
      for (const auto &action : deletions) fs::remove(fs::path(local) / action.relative);
    }
  }
  progress.Finish();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (format == OutputFormat::kJson) {
    PrintJson({{"copied", copies.size()}, {"bytes", bytes}, {"deleted", deletions.size()}, {"unchanged", unchanged},
               {"seconds", seconds}});
  } else if (Terminal::Get().stdout_tty) {
    std::cout << fmt::format("mirror: {} copied ({}), {} deleted, {} unchanged in {}\n", HumanCount(copies.size()),
                             HumanBytes(bytes), HumanCount(deletions.size()), HumanCount(unchanged), HumanDuration(seconds));
  }
}

}  // namespace

void AddObjectCommands(CLI::App &app, CommandContext &context) {
  // ls
  auto *ls = app.add_subcommand("ls", "list volumes, objects under dl://VOLUME/PREFIX, or a local directory");
  ls->group("Files");
  AddFormatOption(ls, context);
  auto &ls_path = context.Keep<std::string>();
  auto &ls_recursive = context.Keep<bool>(false);
  ls->add_option("PATH", ls_path, "dl://VOLUME/PREFIX or a local path (none: the volumes)");
  ls->add_flag("-r,--recursive", ls_recursive, "every object under the prefix, not folder by folder");
  ls->footer("Examples:\n  ducklake ls\n  ducklake ls dl://raw/2026/\n  ducklake ls -r dl://raw/ --format csv");
  context.OnRun(ls, [&] {
    if (ls_path.empty() || ls_path == "dl://") return ListVolumes(context);
    if (IsLakePath(ls_path)) return ListLake(context, ParseLakePath(ls_path), ls_recursive);
    ListLocal(context, ls_path);
  });

  // stat
  auto *stat = app.add_subcommand("stat", "an object's size, checksums, metadata, tags and lineage");
  stat->group("Files");
  AddFormatOption(stat, context);
  auto &stat_path = context.Keep<std::string>();
  stat->add_option("dl://VOLUME/KEY", stat_path, "the object")->required();
  stat->footer("Example:\n  ducklake stat dl://raw/2026/11/orders.csv");
  context.OnRun(stat, [&] {
    auto object = StatObject(context.Api(), ParseLakePath(stat_path));
    if (context.Format() == OutputFormat::kJson) return PrintJson(object);
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (it.key() == "size" && it.value().is_number()) {
        auto size = it.value().get<uint64_t>();
        fields.emplace_back("size", Terminal::Get().stdout_tty ? fmt::format("{} ({} bytes)", HumanBytes(size), HumanCount(size))
                                                               : std::to_string(size));
      } else if ((it.value().is_object() && !it.value().empty()) || it.value().is_array()) {
        fields.emplace_back(it.key(), it.value().dump());
      } else if (!it.value().is_object()) {
        fields.emplace_back(it.key(), CellText(it.value()));
      }
    }
    PrintFields(fields);
  });

  // cat
  auto *cat = app.add_subcommand("cat", "write objects to stdout");
  cat->group("Files");
  auto &cat_paths = context.Keep<std::vector<std::string>>();
  cat->add_option("dl://VOLUME/KEY", cat_paths, "the objects, in order")->required();
  cat->footer("Example:\n  ducklake cat dl://raw/logs/app.log | grep ERROR");
  context.OnRun(cat, [&] {
    for (const auto &text : cat_paths) {
      auto path = ParseLakePath(text);
      if (IsPrefix(path.key)) throw UsageError(text + " is a folder, not an object");
      ApiRequest request;
      request.target = ObjectPath(path.volume, path.key);
      request.sink = [](const char *data, size_t size) { WriteStdout(data, size); };
      context.Api().Perform(request);
    }
  });

  // rm
  auto *rm = app.add_subcommand("rm", "delete objects (-r: everything under a prefix)");
  rm->group("Files");
  auto &rm_paths = context.Keep<std::vector<std::string>>();
  auto &rm_flags = context.Keep<TransferFlags>();
  rm->add_option("dl://VOLUME/KEY", rm_paths, "objects, or prefixes with -r")->required();
  rm->add_flag("-r,--recursive", rm_flags.recursive, "every object under the prefix");
  rm->add_option("-j,--parallel", rm_flags.parallel, "deletes at once (default 4)")->check(CLI::Range(1, 64));
  rm->footer("Example:\n  ducklake rm -r dl://raw/tmp/");
  context.OnRun(rm, [&] { RunRemove(context, rm_paths, rm_flags); });

  // cp and mv
  for (bool move : {false, true}) {
    auto *command = app.add_subcommand(move ? "mv" : "cp",
                                       move ? "move files and objects (copy, then remove the source)"
                                            : "copy files to volumes, objects to files, or objects to objects");
    command->group("Files");
    AddFormatOption(command, context, "table or json");
    auto &paths = context.Keep<std::vector<std::string>>();
    auto &flags = context.Keep<TransferFlags>();
    command->add_option("SOURCE... DEST", paths, "local paths or dl://VOLUME/KEY; '-' reads stdin")->required()->expected(2, -1);
    command->add_flag("-r,--recursive", flags.recursive, "directories and prefixes, with everything under them");
    AddTransferFlags(command, flags);
    command->footer(move ? "Examples:\n  ducklake mv report.pdf dl://docs/2026/\n  ducklake mv -r dl://raw/incoming/ dl://raw/done/"
                         : "Examples:\n  ducklake cp data.parquet dl://raw/2026/12/\n  ducklake cp -r ./landing dl://raw/landing/\n"
                           "  ducklake cp -r dl://raw/landing/ ./copy\n  tail -f app.log | ducklake cp - dl://raw/app.log");
    context.OnRun(command, [&, move] {
      auto sources = std::vector<std::string>(paths.begin(), paths.end() - 1);
      const auto &destination = paths.back();
      if (sources.size() == 1 && sources[0] == "-" && !move) return UploadStdin(context, destination);
      RunCopy(context, sources, destination, flags, move);
    });
  }

  // mirror
  auto *mirror = app.add_subcommand("mirror", "make a volume prefix a copy of a local directory, or the other way");
  mirror->group("Files");
  AddFormatOption(mirror, context, "table or json");
  auto &mirror_source = context.Keep<std::string>();
  auto &mirror_target = context.Keep<std::string>();
  auto &mirror_flags = context.Keep<MirrorFlags>();
  mirror->add_option("SOURCE", mirror_source, "local directory or dl://VOLUME/PREFIX")->required();
  mirror->add_option("DEST", mirror_target, "dl://VOLUME/PREFIX or local directory")->required();
  mirror->add_flag("--dry-run", mirror_flags.dry_run, "say what would be copied and deleted, change nothing");
  mirror->add_flag("--delete", mirror_flags.remove_extra, "also delete what the destination has and the source has not");
  mirror->add_flag("--size-only", mirror_flags.size_only, "compare sizes only, not SHA-256 checksums");
  AddTransferFlags(mirror, mirror_flags.transfer);
  mirror->footer(
      "Copies what is missing or differs (size, then SHA-256); objects without a recorded checksum are\n"
      "copied again unless --size-only.\n"
      "Examples:\n  ducklake mirror ./site dl://web/site/ --delete --dry-run\n  ducklake mirror dl://raw/2026/ ./backup/2026");
  context.OnRun(mirror, [&] { RunMirror(context, mirror_source, mirror_target, mirror_flags); });
}

}  // namespace ducklake::cli
