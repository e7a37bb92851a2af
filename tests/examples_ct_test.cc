// Example ct_lookup (examples/ct_lookup/): an XDP filter on the conntrack
// kfuncs, its opts__sz the kernel's sizeof(struct bpf_ct_opts) read by CO-RE,
// with the xfrm state kfuncs in one program and without them in another; the
// loader helper loads the one each kernel can take.
//
// - `check` on Debian 6.1 and 6.12 (directories with nf_conntrack), 6.18 and
//   a 6.1 image given without its modules says which program each gets, or
//   which module is missing;
// - the running kernel (6.18, conntrack built in) really runs it, and says
//   which opts__sz it accepts;
// - Debian's kernels cannot load it here: their kfuncs and bpf_ct_opts are in
//   nf_conntrack's BTF, and libbpf reads module BTF from the running kernel
//   only. So real libbpf 1.1.2 (the oracle) is given each kernel's vmlinux
//   BTF with nf_conntrack's types appended, as the running kernel's: its
//   extern and CO-RE passes agree with the prediction, size for size.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "abi/libbpf/core_matcher.h"
#include "abi/libbpf/libbpf_check.h"
#include "abi/object/bpf_object.h"
#include "abi/revision/revision_plan.h"
#include "btfdiff/source/kernel_source.h"
#include "nlohmann/json.hpp"
#include "tests/example_support.h"
#include "tests/test_support.h"

namespace kcontract {
namespace {

namespace fs = std::filesystem;
using testing::CanLoadBpfPrograms;
using testing::CommandResult;
using testing::Example;
using testing::ExampleTool;
using testing::Prepared;
using testing::PrepareWithCApi;
using testing::ReadFileOrDie;
using testing::RunCli;
using testing::RunCommand;
using testing::ScratchDir;
using testing::SharedKernelDir;
using testing::ShellQuote;
using testing::WriteFileOrDie;

using Names = std::vector<std::string>;

std::string CtObject() { return Example("ct_lookup", "ct_lookup"); }

const char kDebian61[] = "debian-6.1.0-50-amd64";
const char kDebian612[] = "debian-6.12.111-amd64";

std::string Kernel(const char* dir) { return SharedKernelDir(dir).string(); }

// --- what each kernel gets -----------------------------------------------------

TEST(CtLookupExample, CheckSaysWhichProgramEachKernelGets) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  const std::string object = CtObject();
  auto check = [&](const std::string& kernel) {
    // The notes name what libbpf does with an unresolved call, which
    // changed in 1.2: the release modelled is Debian 12's, whichever
    // libbpf.so the CLI runs on.
    return RunCli("check --libbpf 1.1 " + ShellQuote(object) + " --kernel " +
                  ShellQuote(kernel));
  };
  const std::string with_xfrm =
      object + ": note: [kfunc-choice] xfrm: uses bpf_xdp_get_xfrm_state&"
               "bpf_xdp_xfrm_state_release (candidate 1 of 1); program ct_filter_xfrm is loaded; "
               "left out: program ct_filter\n";
  CommandResult v612 = check(Kernel(kDebian612));
  EXPECT_EQ(v612.exit_code, 0) << v612.out;
  EXPECT_NE(v612.out.find(with_xfrm), std::string::npos) << v612.out;
  EXPECT_NE(v612.out.find(": loads (0 errors, 0 warnings"), std::string::npos) << v612.out;

  // 6.1: no xfrm kfuncs, and a verifier (< 6.4) that would refuse their
  // calls even unreached; the program that holds them is not loaded.
  CommandResult v61 = check(Kernel(kDebian61));
  EXPECT_EQ(v61.exit_code, 0) << v61.out;
  EXPECT_NE(v61.out.find(object + ": note: [kfunc-choice] xfrm: none of bpf_xdp_get_xfrm_state&"
                                  "bpf_xdp_xfrm_state_release: the object runs without them; "
                                  "program ct_filter is loaded; left out: program ct_filter_xfrm; "
                                  "not: "),
            std::string::npos)
      << v61.out;
  EXPECT_NE(v61.out.find(object + ": note: [kfunc-weak-absent] bpf_xdp_get_xfrm_state: optional "
                                  "(weak) kfunc is not in 6.1.0-50-amd64"),
            std::string::npos)
      << v61.out;
  EXPECT_NE(v61.out.find("rejects an unresolved kfunc call even when it is guarded (libbpf >= "
                         "1.2 poisons such calls instead, rejected only where reached: "
                         "weak-kfunc-call-poisoned); no program libbpf loads holds it\n"),
            std::string::npos)
      << v61.out;
  EXPECT_NE(v61.out.find(": loads (0 errors, 0 warnings"), std::string::npos) << v61.out;

  std::string host = (SharedKernelDir("host-6.18.44") / "vmlinux.btf").string();
  if (fs::exists(host)) {
    CommandResult v618 = check(host);
    EXPECT_EQ(v618.exit_code, 0) << v618.out;
    EXPECT_NE(v618.out.find(with_xfrm), std::string::npos) << v618.out;
  }

  // The 6.1 image alone: its conntrack kfuncs are in a module it does not
  // come with, and check says which.
  CommandResult image = check(Kernel(kDebian61) + "/vmlinuz-6.1.0-50-amd64");
  EXPECT_EQ(image.exit_code & 8, 8) << image.out;
  for (const char* kfunc : {"bpf_xdp_ct_lookup", "bpf_ct_release"}) {
    std::string line = object + ": error: [kfunc-missing] " + kfunc +
                       ": kfunc is not in 6.1.0-50-amd64 (vmlinux or modules) (no module "
                       "searched); libbpf fails: extern (func ksym) '" + kfunc +
                       "': not found in kernel or module BTFs; the contracts record it in module "
                       "nf_conntrack (contract conntrack-xfrm, ";
    EXPECT_NE(image.out.find(line), std::string::npos) << kfunc << "\n" << image.out;
  }
  EXPECT_NE(image.out.find("which this kernel source does not hold: give the kernel's directory "
                           "or package with its modules"),
            std::string::npos)
      << image.out;
  EXPECT_NE(image.out.find("on 6.1.0-50-amd64: fails at extern ("), std::string::npos)
      << image.out;
}

TEST(CtLookupExample, TheLoaderHelperLoadsOneProgramPerKernel) {
  KC_REQUIRE_PATH(SharedKernelDir(kDebian61));
  KC_REQUIRE_PATH(SharedKernelDir(kDebian612));
  const std::string object = CtObject();
  const Bytes before = ReadFileOrDie(object);
  Prepared v61 = PrepareWithCApi(object, Kernel(kDebian61));
  EXPECT_EQ(v61.err, 0) << v61.message;
  EXPECT_EQ(v61.message, object + " prepared for 6.1.0-50-amd64: xfrm: none (program ct_filter)");
  EXPECT_EQ(v61.loaded_programs, Names{"ct_filter"});
  EXPECT_EQ(v61.left_out_programs, Names{"ct_filter_xfrm"});

  Prepared v612 = PrepareWithCApi(object, Kernel(kDebian612));
  EXPECT_EQ(v612.err, 0) << v612.message;
  EXPECT_EQ(v612.message, object + " prepared for 6.12.111+deb12-amd64: xfrm: "
                                   "bpf_xdp_get_xfrm_state&bpf_xdp_xfrm_state_release (program "
                                   "ct_filter_xfrm)");
  EXPECT_EQ(v612.loaded_programs, Names{"ct_filter_xfrm"});
  EXPECT_EQ(v612.left_out_programs, Names{"ct_filter"});

  // The image without its modules: refused, naming the module.
  Prepared image = PrepareWithCApi(object, Kernel(kDebian61) + "/vmlinuz-6.1.0-50-amd64");
  EXPECT_EQ(image.err, -EOPNOTSUPP);
  EXPECT_NE(image.message.find("cannot run on 6.1.0-50-amd64: [kfunc-missing] bpf_xdp_ct_lookup"),
            std::string::npos)
      << image.message;
  EXPECT_NE(image.message.find("the contracts record it in module nf_conntrack"),
            std::string::npos)
      << image.message;
  EXPECT_EQ(ReadFileOrDie(object), before);

  // The example's own loader says the same, as a dry run.
  CommandResult dry = RunCommand(ShellQuote(ExampleTool("ct_lookup")) + " --kernel " +
                                 ShellQuote(Kernel(kDebian61)));
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("program ct_filter_xfrm: left out\nprogram ct_filter: load\n"),
            std::string::npos)
      << dry.out;
}

// --- the running kernel: a real load and run ------------------------------------

TEST(CtLookupExample, RunsOnTheRunningKernelWithTheSizeItsBtfGives) {
  std::string why;
  if (!CanLoadBpfPrograms(&why)) GTEST_SKIP() << why;
  auto kernel = LoadKernel(kRunningKernel);
  ASSERT_TRUE(kernel.ok()) << kernel.status();
  auto ct = (*kernel)->names().Find("bpf_xdp_ct_lookup", BTF_KIND_FUNC);
  auto opts = (*kernel)->names().Find("bpf_ct_opts", BTF_KIND_STRUCT);
  if (!ct || !opts) {
    GTEST_SKIP() << "the running kernel's BTF has no bpf_xdp_ct_lookup or struct bpf_ct_opts "
                    "(nf_conntrack not built in, its module not loaded): the example cannot load "
                    "here; CtLookupExample.Libbpf112WithEachDebianKernelsBtf still checks it";
  }
  const uint32_t kernel_size = opts->btf->Type(opts->id)->size;
  // The prediction first: check says it loads, with the program the plan picks.
  CommandResult check = RunCli("check " + ShellQuote(CtObject()));
  ASSERT_EQ(check.exit_code & 8, 0) << check.out;
  bool xfrm = (*kernel)->names().Find("bpf_xdp_get_xfrm_state", BTF_KIND_FUNC).has_value();
  std::string program = xfrm ? "ct_filter_xfrm" : "ct_filter";

  auto run = [&](const std::string& extra) {
    return RunCommand(ShellQuote(ExampleTool("ct_lookup")) + " --test-run" + extra);
  };
  CommandResult r = run("");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::cout << r.out;
  EXPECT_NE(r.out.find("program " + program + ": load\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("program " + program + ": ct opts__sz " + std::to_string(kernel_size)),
            std::string::npos)
      << r.out;
  // Nothing in the test's network namespace knows 10.0.0.1:1234: the ACK is
  // dropped (-ENOENT from the lookup), the SYN and the UDP datagram pass.
  EXPECT_NE(r.out.find("packet tcp-ack: XDP_DROP (last error -2)\n"
                       "packet tcp-syn: XDP_PASS (last error -2)\n"
                       "packet udp: XDP_PASS (last error -2)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(xfrm ? "packet esp: XDP_DROP" : "packet esp: XDP_PASS"), std::string::npos)
      << r.out;

  // Which sizes this kernel accepts: 12 (6.1's) and its own; not 8. An
  // accepted size gets the lookup's answer (-ENOENT), a refused one -EINVAL.
  for (uint32_t size : {12u, kernel_size}) {
    CommandResult sized = run(" --opts-size " + std::to_string(size));
    ASSERT_EQ(sized.exit_code, 0) << sized.err;
    EXPECT_NE(sized.out.find("packet tcp-ack: XDP_DROP (last error -2)\n"), std::string::npos)
        << size << "\n" << sized.out;
    EXPECT_NE(sized.out.find("lookup_errors 0\n"), std::string::npos) << sized.out;
  }
  CommandResult refused = run(" --opts-size 8");
  ASSERT_EQ(refused.exit_code, 0) << refused.err;
  EXPECT_NE(refused.out.find("packet tcp-ack: XDP_PASS (last error -22)\n"), std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("lookup_errors 3\n"), std::string::npos) << refused.out;
}

// --- Debian's kernels through real libbpf ----------------------------------------

// A module's split BTF appended to its base: one BTF whose ids and string
// offsets are the split BTF's own (split BTF numbers its types after the
// base's and its strings after the base's strings), as a kernel with the
// module built in would show libbpf.
Bytes MergeSplitBtf(const Bytes& base, const Bytes& split) {
  struct Header {
    uint32_t hdr_len, type_off, type_len, str_off, str_len;
  };
  auto header = [](const Bytes& b) {
    Header h{};
    EXPECT_GE(b.size(), 24u);
    if (b.size() < 24) return h;
    std::memcpy(&h, b.data() + 4, sizeof(h));
    EXPECT_LE(uint64_t{h.hdr_len} + h.str_off + h.str_len, b.size());
    EXPECT_LE(uint64_t{h.hdr_len} + h.type_off + h.type_len, b.size());
    return h;
  };
  Header hb = header(base);
  Header hs = header(split);
  Bytes out(base.begin(), base.begin() + 4);  // magic, version, flags
  Header merged{24, 0, hb.type_len + hs.type_len, hb.type_len + hs.type_len,
                hb.str_len + hs.str_len};
  out.resize(24);
  std::memcpy(out.data() + 4, &merged, sizeof(merged));
  auto append = [&](const Bytes& from, uint32_t off, uint32_t len) {
    out.insert(out.end(), from.begin() + off, from.begin() + off + len);
  };
  append(base, hb.hdr_len + hb.type_off, hb.type_len);
  append(split, hs.hdr_len + hs.type_off, hs.type_len);
  append(base, hb.hdr_len + hb.str_off, hb.str_len);
  append(split, hs.hdr_len + hs.str_off, hs.str_len);
  return out;
}

// What libbpf does on one kernel, and what kcontract predicts of the same.
struct OracleRun {
  std::string cls;
  std::map<std::string, std::string> type_sizes;  // "struct bpf_ct_opts" -> "imm=12"
};

OracleRun RunOracle(const std::string& btf, const std::string& config,
                    const std::vector<std::string>& autoload_off) {
  std::string command = ShellQuote(KC_LIBBPF_ORACLE) + " --object " + ShellQuote(CtObject()) +
                        " --kernel target --btf " + ShellQuote(btf) + " --config " +
                        ShellQuote(config);
  for (const std::string& p : autoload_off) command += " --autoload-off " + p;
  CommandResult r = RunCommand(command);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  OracleRun run;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << r.out;
    return run;
  }
  EXPECT_EQ(j["mode"], "namespace") << r.out;
  run.cls = j["class"];
  for (const auto& relo : j["relos"]) {
    if (relo["kind"] != "type_size") continue;
    std::string spec = relo["spec"];
    run.type_sizes[spec.substr(spec.find(' ') + 1)] = relo["result"];
  }
  return run;
}

TEST(CtLookupExample, Libbpf112WithEachDebianKernelsBtf) {
  std::string why;
  if (!CanLoadBpfPrograms(&why)) GTEST_SKIP() << why << " (the oracle needs a mount namespace)";
  const fs::path scratch = ScratchDir("CtLookupOracle");
  const ContractSet contracts;  // nothing in them changes this object's plan
  auto objects = ReadBpfObjects(CtObject());
  ASSERT_TRUE(objects.ok()) << objects.status();
  const BpfObject& object = *objects->front();

  struct Case {
    const char* dir;
    const char* config;
    uint32_t ct_size;
  };
  for (const Case& c : {Case{kDebian61, "config-6.1.0-50-amd64", 12},
                        Case{kDebian612, "config-6.12.111+deb12-amd64", 16}}) {
    SCOPED_TRACE(c.dir);
    KC_REQUIRE_PATH(SharedKernelDir(c.dir));
    const std::string base = (scratch / (std::string(c.dir) + ".base.btf")).string();
    const std::string split = (scratch / (std::string(c.dir) + ".nf_conntrack.btf")).string();
    const std::string merged = (scratch / (std::string(c.dir) + ".merged.btf")).string();
    CommandResult extract = RunCli("btf extract --kernel " + ShellQuote(Kernel(c.dir)) +
                                   " --module nf_conntrack -o " + ShellQuote(split) +
                                   " --base-out " + ShellQuote(base));
    ASSERT_EQ(extract.exit_code, 0) << extract.err;
    WriteFileOrDie(merged, MergeSplitBtf(ReadFileOrDie(base), ReadFileOrDie(split)));
    const std::string config = (SharedKernelDir(c.dir) / c.config).string();

    // kcontract's prediction on the kernel's directory: the plan's program,
    // and CO-RE's sizes.
    auto kernel = LoadKernel(Kernel(c.dir));
    ASSERT_TRUE(kernel.ok()) << kernel.status();
    CheckTarget target(**kernel);
    RevisionPlan plan = PlanRevisions(object, target, contracts);
    ASSERT_FALSE(plan.refused()) << plan.RefusalMessage();
    ASSERT_EQ(plan.disabled_programs.size(), 1u);
    std::map<std::string, std::string> predicted;
    for (const CoreRelocation& relo : object.core_relocations) {
      if (relo.kind != BPF_CORE_TYPE_SIZE || relo.program == plan.disabled_programs[0]) continue;
      CoreResult result = ResolveCoreRelocation(*object.btf, relo, (*kernel)->names());
      ASSERT_EQ(result.outcome, CoreOutcome::kResolved) << relo.root_name;
      predicted["struct " + relo.root_name] = "imm=" + std::to_string(result.target_value);
    }
    EXPECT_EQ(predicted["struct bpf_ct_opts"], "imm=" + std::to_string(c.ct_size));

    // libbpf 1.1.2 with that kernel's vmlinux and nf_conntrack as its own:
    // externs resolve, CO-RE gives the same sizes. (The running kernel's
    // verifier cannot judge programs built against another kernel's ids.)
    OracleRun real = RunOracle(merged, config, plan.disabled_programs);
    EXPECT_EQ(real.cls, "passed_relocation");
    EXPECT_EQ(real.type_sizes, predicted);

    // The same kernel without the module's BTF: libbpf stops at the
    // externs, as `check` says of the image alone.
    OracleRun vmlinux_only = RunOracle(base, config, plan.disabled_programs);
    EXPECT_EQ(vmlinux_only.cls, "extern_failed");
  }
}

}  // namespace
}  // namespace kcontract
