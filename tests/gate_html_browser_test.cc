// The gate's --html page in a real browser: Debian's Chromium, headless.
// `kcontract gate` runs on corpus objects (and a truncated one) against two
// shared kernels, 6.12 and 6.18, with 6.1 as the baseline and a waiver, so
// the page has ok, FAIL, waived, known, fixed and unreadable cells. Chromium
// then runs the page's own script and
//  - takes a screenshot, kept in the test's scratch directory (its path is
//    printed), whose pixels must show every verdict's colour from the page's
//    stylesheet, in proportion to the cells of that verdict: a page that
//    draws nothing, or no grid, fails;
//  - dumps the DOM the script built: one cell per object x kernel, each with
//    the state the JSON report of the same run gives it, the filters and the
//    regression view; the URL fragment the page reads (see gate_html.cc)
//    filters it and opens a cell's findings, since a headless run cannot
//    click.
// Skipped, saying why, when chromium or the shared kernels are missing.
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ShellQuote;

// Loads on both (ok); fails on 6.1 and loads on both (fixed); fails
// everywhere (known); known on 6.12 and fixed on 6.18; a regression on 6.12
// (FAIL); a regression on 6.18 the waiver accepts (waived).
constexpr const char* kObjects[] = {"core_field_exists", "kfunc_task_from_pid",
                                    "kfunc_never_merged", "core_type_size_ambiguous",
                                    "ksym_typed_middle_gone", "fentry_rstat_renamed"};
constexpr const char* kStates[] = {"ok", "fixed", "FAIL", "known", "waived", "unreadable"};
constexpr int kWidth = 1400, kHeight = 600;

std::string ReadText(const fs::path& path) {
  Bytes bytes = testing::ReadFileOrDie(path);
  return std::string(bytes.begin(), bytes.end());
}

// encodeURIComponent's encoding, for names put in the page's fragment (and,
// keeping '/', for the page's path in its file: URL).
std::string UriComponent(const std::string& text, const std::string& kept = "-_.!~*'()") {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || kept.find(static_cast<char>(c)) != std::string::npos) {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// --- A PNG's pixels: enough of the format for Chromium's screenshots
// (8-bit RGB or RGBA, not interlaced).
struct Image {
  uint32_t width = 0, height = 0;
  std::vector<uint32_t> pixels;  // 0xRRGGBB, row by row
};

uint32_t BigEndian32(const uint8_t* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

std::optional<Image> DecodePng(const Bytes& png, std::string* error) {
  static constexpr uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (png.size() < 8 || !std::equal(std::begin(kSignature), std::end(kSignature), png.begin())) {
    *error = "no PNG signature";
    return std::nullopt;
  }
  Image image;
  int channels = 0;
  Bytes compressed;
  for (size_t at = 8; at + 12 <= png.size();) {
    uint32_t length = BigEndian32(&png[at]);
    if (length > png.size() - at - 12) {
      *error = "chunk past the end of the file";
      return std::nullopt;
    }
    std::string type(reinterpret_cast<const char*>(&png[at + 4]), 4);
    const uint8_t* data = &png[at + 8];
    if (type == "IHDR" && length >= 13) {
      image.width = BigEndian32(data);
      image.height = BigEndian32(data + 4);
      channels = data[9] == 2 ? 3 : data[9] == 6 ? 4 : 0;
      if (data[8] != 8 || channels == 0 || data[12] != 0) {
        *error = "not 8-bit RGB(A) without interlace";
        return std::nullopt;
      }
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), data, data + length);
    }
    at += 12 + length;
  }
  if (channels == 0 || image.width == 0 || image.height == 0 || image.width > 10000 ||
      image.height > 10000) {
    *error = "no usable IHDR";
    return std::nullopt;
  }
  const size_t stride = size_t{image.width} * channels;
  Bytes raw((stride + 1) * image.height);
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, compressed.data(), compressed.size()) != Z_OK ||
      raw_size != raw.size()) {
    *error = "IDAT does not inflate to the image's size";
    return std::nullopt;
  }
  // Undo each scanline's filter (PNG spec, section 9) against the line above.
  std::vector<uint8_t> previous(stride, 0), line(stride);
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* in = &raw[y * (stride + 1) + 1];
    for (size_t i = 0; i < stride; ++i) {
      int left = i >= size_t(channels) ? line[i - channels] : 0, up = previous[i];
      int up_left = i >= size_t(channels) ? previous[i - channels] : 0;
      int predictor = 0;
      switch (filter) {
        case 0: break;
        case 1: predictor = left; break;
        case 2: predictor = up; break;
        case 3: predictor = (left + up) / 2; break;
        case 4: {
          int p = left + up - up_left;
          int pa = std::abs(p - left), pb = std::abs(p - up), pc = std::abs(p - up_left);
          predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : up_left;
          break;
        }
        default:
          *error = "unknown scanline filter " + std::to_string(filter);
          return std::nullopt;
      }
      line[i] = static_cast<uint8_t>(in[i] + predictor);
    }
    for (size_t x = 0; x < stride; x += channels) {
      image.pixels.push_back(uint32_t{line[x]} << 16 | uint32_t{line[x + 1]} << 8 | line[x + 2]);
    }
    previous.swap(line);
  }
  return image;
}

// --- The page as the DOM Chromium dumped: the matrix's rows.
struct Row {
  std::string name;
  std::vector<std::string> cells;  // each cell's state class, "" when filtered out
  int unreadable_colspan = 0;      // an unreadable input: one cell across the row
};
struct Matrix {
  std::vector<std::string> header;
  std::vector<Row> rows;
};

std::vector<std::string> AllMatches(const std::string& text, const std::regex& pattern) {
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

Matrix ParseMatrix(const std::string& dom) {
  Matrix matrix;
  size_t begin = dom.find("<table id=\"matrix\">"), end = dom.find("</table>", begin);
  if (begin == std::string::npos || end == std::string::npos) return matrix;
  std::string table = dom.substr(begin, end - begin);
  static const std::regex kHeader("<th[^>]*>([^<]*)</th>"), kName("^<td[^>]*>([^<]*)</td>"),
      kCell("<td class=\"cell ([^\"]*)\""),
      kUnreadable("<td class=\"unreadable\" colspan=\"(\\d+)\"");
  size_t at = table.find("<tr>");
  while (at != std::string::npos) {
    size_t next = table.find("<tr>", at + 4);
    std::string tr = table.substr(at + 4, next == std::string::npos ? next : next - at - 4);
    at = next;
    if (matrix.header.empty()) {
      matrix.header = AllMatches(tr, kHeader);
      continue;
    }
    Row row;
    std::smatch m;
    if (std::regex_search(tr, m, kName)) row.name = m[1];
    row.cells = AllMatches(tr, kCell);
    if (std::regex_search(tr, m, kUnreadable)) row.unreadable_colspan = std::stoi(m[1]);
    matrix.rows.push_back(std::move(row));
  }
  return matrix;
}

std::string DetailsText(const std::string& dom) {
  size_t begin = dom.find("<div id=\"details\">");
  if (begin == std::string::npos) return "";
  begin += std::strlen("<div id=\"details\">");
  return dom.substr(begin, dom.find("</div>", begin) - begin);
}

class GateHtmlBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::HaveTool("chromium")) {
      GTEST_SKIP() << "needs chromium (Debian package chromium; scripts/install-deps.sh)";
    }
    const fs::path kernels[] = {Kernel("debian-6.1.0-50-amd64", "vmlinuz-6.1.0-50-amd64"),
                                Kernel("debian-6.12.111-amd64", "vmlinuz-6.12.111+deb12-amd64"),
                                Kernel("host-6.18.44", "vmlinux.btf")};
    for (const fs::path& kernel : kernels) KC_REQUIRE_PATH(kernel);
    // Kept after the run: the page and its screenshot are the test's output.
    dir_ = testing::ScratchDir(std::string("gate_html_browser_test/") +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::path objects = dir_ / "objects";
    fs::create_directories(objects);
    for (const char* name : kObjects) {
      fs::copy_file(fs::path(KC_CORPUS_DIR) / (std::string(name) + ".bpf.o"),
                    objects / (std::string(name) + ".bpf.o"));
    }
    // An input cut short: a row of its own.
    Bytes whole = testing::ReadFileOrDie(objects / "core_field_exists.bpf.o");
    testing::WriteFileOrDie(objects / "cut.bpf.o", ByteView(whole.data(), 200));
    fs::path waivers = dir_ / "waivers.toml";
    std::ofstream(waivers) << "format_version = 1\n[[waiver]]\n"
                              "object = \"*/fentry_rstat_renamed.bpf.o\"\n"
                              "kernel = \"*host-6.18*\"\n"
                              "reason = \"cgroup_rstat_flush is gone in 6.18; 2.0 attaches to "
                              "its successor\"\nexpires = 2999-01-01\n";
    html_ = dir_ / "gate.html";
    // From the scratch directory, as a distribution names its files
    // (dist/*.deb): short names keep every column on the screenshot.
    CommandResult r = testing::RunCommand(
        "cd " + ShellQuote(dir_.string()) + " && " + ShellQuote(KCONTRACT_CLI) +
        " gate objects --baseline-kernel " + ShellQuote(kernels[0].string()) + " --kernel " +
        ShellQuote(kernels[1].string()) + " --kernel " + ShellQuote(kernels[2].string()) +
        " --waivers " + ShellQuote(waivers.string()) +
        " --no-default-manifests --progress never --format json --html " +
        ShellQuote(html_.string()));
    // An unwaived regression (8) and the truncated input (1).
    ASSERT_EQ(r.exit_code, 8 | 1) << r.err;
    report_ = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(report_.is_discarded()) << r.out;
    ASSERT_EQ(report_["kernels"].size(), 2u);
    ASSERT_EQ(report_["objects"].size(), std::size(kObjects) + 1);
  }

  static fs::path Kernel(const std::string& dir, const std::string& file) {
    return testing::SharedKernelDir(dir) / file;
  }

  // Chromium, headless, on the page (with `fragment`), doing `action`
  // (--screenshot=FILE, --dump-dom or both): a fresh profile, no network.
  CommandResult RunChromium(const std::string& action, const std::string& fragment = "") {
    fs::path profile = dir_ / "chromium-profile";
    fs::remove_all(profile);
    std::string command =
        "timeout 60 chromium --headless " + std::string(geteuid() == 0 ? "--no-sandbox " : "") +
        "--user-data-dir=" + ShellQuote(profile.string()) +
        " --disable-gpu --no-first-run --no-default-browser-check --disable-extensions"
        " --disable-sync --disable-background-networking --disable-component-update"
        " --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND'"
        " --hide-scrollbars --window-size=" +
        std::to_string(kWidth) + "," + std::to_string(kHeight) + " " + action + " " +
        ShellQuote("file://" + UriComponent(html_.string(), "-_.~/") + fragment);
    CommandResult r = testing::RunCommand(command);
    fs::remove_all(profile);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    return r;
  }

  std::vector<std::string> Kernels() const {
    return report_["kernels"].get<std::vector<std::string>>();
  }
  std::string BaselineHeader() const {
    return "baseline (" + report_["baseline_kernel"].get<std::string>() + ")";
  }

  void ExpectColouredGrid(const fs::path& shot) const;
  void ExpectWholeMatrix(const std::string& dom) const;

  fs::path dir_, html_;
  nlohmann::json report_;
};

// The screenshot: a PNG of the window's size whose pixels show each state's
// background, from the page's own stylesheet, over at least as many pixels
// as that state's cells cover: a page that drew nothing, or no grid, fails.
void GateHtmlBrowserTest::ExpectColouredGrid(const fs::path& shot) const {
  ASSERT_TRUE(fs::exists(shot));
  Bytes png = testing::ReadFileOrDie(shot);
  EXPECT_GT(png.size(), 10000u);
  std::string error;
  std::optional<Image> image = DecodePng(png, &error);
  ASSERT_TRUE(image) << shot << ": " << error;
  EXPECT_EQ(image->width, uint32_t{kWidth});
  EXPECT_EQ(image->height, uint32_t{kHeight});
  std::map<uint32_t, size_t> histogram;
  for (uint32_t pixel : image->pixels) ++histogram[pixel];
  EXPECT_GT(histogram.size(), 10u) << "a uniform page";

  std::string page = ReadText(html_);
  std::map<std::string, uint32_t> colour;
  static const std::regex kRule("\\.(\\w+)\\{background:#([0-9a-f]{6}|[0-9a-f]{3})\\}");
  for (std::sregex_iterator it(page.begin(), page.end(), kRule), end; it != end; ++it) {
    std::string hex = (*it)[2];
    if (hex.size() == 3) hex = {hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]};
    colour[(*it)[1]] = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
  }
  std::map<std::string, int> cells;
  for (const nlohmann::json& row : report_["objects"]) {
    if (!row["error"].is_null()) ++cells["unreadable"];
    for (const nlohmann::json& cell : row["cells"]) ++cells[cell["state"]];
  }
  for (const char* state : kStates) {
    ASSERT_TRUE(colour.count(state)) << "no background for ." << state << " in the page";
    ASSERT_GT(cells[state], 0) << "the run has no " << state << " cell";
    // A cell is a kernel column wide (>= 160 px) and a line high (>= 20 px).
    EXPECT_GE(histogram[colour[state]], size_t(cells[state]) * 160 * 20)
        << state << ": " << cells[state] << " cells of colour " << std::hex << colour[state];
  }
}

// The DOM with no fragment: the header, one cell per object x kernel with
// the state the JSON report gives it, the filters and the regression view.
void GateHtmlBrowserTest::ExpectWholeMatrix(const std::string& dom) const {
  Matrix matrix = ParseMatrix(dom);
  std::vector<std::string> kernels = Kernels();
  std::vector<std::string> header = {"object", BaselineHeader()};
  header.insert(header.end(), kernels.begin(), kernels.end());
  EXPECT_EQ(matrix.header, header);
  ASSERT_EQ(matrix.rows.size(), report_["objects"].size()) << dom;
  std::set<std::string> seen;
  for (size_t i = 0; i < matrix.rows.size(); ++i) {
    const nlohmann::json& object = report_["objects"][i];
    const Row& row = matrix.rows[i];
    EXPECT_EQ(row.name, object["name"]);
    if (!object["error"].is_null()) {
      EXPECT_EQ(row.unreadable_colspan, int(kernels.size()) + 1) << row.name;
      EXPECT_TRUE(row.cells.empty());
      seen.insert("unreadable");
      continue;
    }
    ASSERT_EQ(row.cells.size(), kernels.size()) << row.name;
    for (size_t k = 0; k < kernels.size(); ++k) {
      EXPECT_EQ(row.cells[k], object["cells"][k]["state"]) << row.name << " on " << kernels[k];
      seen.insert(row.cells[k]);
    }
  }
  EXPECT_EQ(seen, std::set<std::string>(std::begin(kStates), std::end(kStates)));
  for (size_t k = 0; k < kernels.size(); ++k) {
    EXPECT_NE(dom.find("data-k=\"" + std::to_string(k) + "\""), std::string::npos) << k;
  }
  EXPECT_EQ(dom.find("data-k=\"" + std::to_string(kernels.size()) + "\""), std::string::npos);
  for (const char* state : kStates) {
    EXPECT_NE(dom.find("data-s=\"" + std::string(state) + "\""), std::string::npos) << state;
  }
  EXPECT_NE(dom.find("id=\"regressions\""), std::string::npos);
  EXPECT_EQ(DetailsText(dom), "Click a cell to see its findings.");
}

TEST_F(GateHtmlBrowserTest, PageDrawsEveryCellInItsVerdictsColour) {
  fs::path shot = dir_ / "gate.png";
  std::string dom = RunChromium("--screenshot=" + ShellQuote(shot.string()) + " --dump-dom").out;
  std::cout << "screenshot: " << shot.string() << " ("
            << (fs::exists(shot) ? fs::file_size(shot) : 0) << " bytes)" << std::endl;
  RecordProperty("screenshot", shot.string());
  ExpectColouredGrid(shot);
  ExpectWholeMatrix(dom);
}

TEST_F(GateHtmlBrowserTest, FragmentFiltersTheMatrixAndOpensACell) {
  std::vector<std::string> kernels = Kernels();
  // The first kernel, its FAIL and known cells, and the FAIL cell opened.
  const nlohmann::json* failing = nullptr;
  std::vector<std::pair<std::string, std::string>> expected, drawn;
  for (const nlohmann::json& object : report_["objects"]) {
    if (!object["error"].is_null()) continue;
    std::string state = object["cells"][0]["state"];
    if (state == "FAIL" || state == "known") expected.push_back({object["name"], state});
    if (state == "FAIL") failing = &object;
  }
  ASSERT_NE(failing, nullptr);
  EXPECT_GE(expected.size(), 2u);
  std::string name = (*failing)["name"];
  std::string fragment = "#kernels=" + UriComponent(kernels[0]) + "&states=FAIL,known&cell=" +
                         UriComponent(name) + "," + UriComponent(kernels[0]);
  std::string dom = RunChromium("--dump-dom", fragment).out;
  Matrix matrix = ParseMatrix(dom);
  EXPECT_EQ(matrix.header, (std::vector<std::string>{"object", BaselineHeader(), kernels[0]}));
  // Exactly those objects, each with that one cell; the unreadable input
  // and every other row gone.
  for (const Row& row : matrix.rows) {
    EXPECT_EQ(row.cells.size(), 1u) << row.name;
    drawn.push_back({row.name, row.cells.empty() ? "" : row.cells[0]});
  }
  EXPECT_EQ(drawn, expected) << dom;
  // The cell the fragment names, as a click on it shows it.
  std::string details = DetailsText(dom);
  const nlohmann::json& cell = (*failing)["cells"][0];
  EXPECT_TRUE(details.starts_with(name + " on " + kernels[0] + ": fails at " +
                                  cell["verdict"].get<std::string>() + "\n\n"))
      << details;
  ASSERT_FALSE(cell["findings"].empty());
  for (const nlohmann::json& finding : cell["findings"]) {
    std::string line = "[" + finding["code"].get<std::string>() + "] " +
                       finding["subject"].get<std::string>() + ": ";
    EXPECT_NE(details.find(line), std::string::npos) << line << " not in " << details;
  }

  // Regressions only: a row per object with one, showing just those cells.
  std::vector<std::vector<std::string>> regression_rows, drawn_rows;
  size_t regressions = 0;
  for (const nlohmann::json& object : report_["objects"]) {
    std::vector<std::string> cells;
    for (const nlohmann::json& c : object["cells"]) {
      regressions += c["regression"].get<bool>();
      cells.push_back(c["regression"].get<bool>() ? c["state"] : "");
    }
    if (std::count(cells.begin(), cells.end(), "") < std::ssize(cells)) {
      regression_rows.push_back(cells);
    }
  }
  EXPECT_EQ(regressions, report_["totals"]["regressions"].get<size_t>());
  EXPECT_GE(regression_rows.size(), 2u);
  std::string regression_dom = RunChromium("--dump-dom", "#regressions").out;
  for (const Row& row : ParseMatrix(regression_dom).rows) drawn_rows.push_back(row.cells);
  EXPECT_EQ(drawn_rows, regression_rows) << regression_dom;
}

}  // namespace
}  // namespace kcontract
