// Decoding the sync body (service/sync_request.h): the streaming decoder takes every
// well-formed body exactly as the tree decoder does, and leaves everything else to it.

#include <catch2/catch.hpp>

#include <random>

#include "service/sync_request.h"
#include "tandem/core/canonical_json.h"

using namespace tandem;
using core::Json;
using server::decodeSyncRequest;
using server::decodeSyncRequestStreaming;
using server::decodeSyncRequestTree;
using server::SyncRequest;

namespace {

Json validOp(int n) {
    return Json{{"site", "00000000000000a1"}, {"n", n},
                {"entity", "0123456789abcdef0123456789abcdef"}, {"type", "progress_entry"},
                {"field", "note"}, {"value", "拜访客户，已演示样品"}, {"hlc", "0000018bcfe56800"}};
}

Json validBody() {
    return Json{{"site", "00000000000000a1"}, {"cursor", 42}, {"ops", Json::array({validOp(1), validOp(2)})}, {"limit", 7}};
}

void requireSame(const SyncRequest& a, const SyncRequest& b) {
    REQUIRE(a.site == b.site);
    REQUIRE(a.cursor == b.cursor);
    REQUIRE(a.limit == b.limit);
    REQUIRE(a.ack == b.ack);
    REQUIRE(a.ops.size() == b.ops.size());
    for (std::size_t i = 0; i < a.ops.size(); ++i) {
        INFO("op " << i);
        REQUIRE(a.ops[i].sameContent(b.ops[i]));
        REQUIRE(a.ops[i].value.type() == b.ops[i].value.type());
        REQUIRE_FALSE(a.ops[i].seq);
        REQUIRE_FALSE(a.ops[i].author);
    }
}

/// The streaming decoder either agrees with the tree decoder or declines.
void requireAgreement(const std::string& body, bool streamingMustTake) {
    INFO(body);
    auto streamed = decodeSyncRequestStreaming(body);
    auto tree = decodeSyncRequestTree(body);
    if (streamingMustTake) REQUIRE(streamed);
    if (streamed) {
        REQUIRE(tree);
        requireSame(*streamed, *tree);
    }
    auto decoded = decodeSyncRequest(body);
    REQUIRE(decoded.ok() == tree.ok());
    if (!tree) REQUIRE(decoded.error().message == tree.error().message);
}

}  // namespace

TEST_CASE("sync body: well-formed bodies are streamed, exactly as the tree decoder reads them", "[service]") {
    requireAgreement(validBody().dump(), true);
    Json body = validBody();
    body.erase("limit");
    requireAgreement(body.dump(), true);
    body["limit"] = nullptr;
    requireAgreement(body.dump(), true);
    body["limit"] = 1'000'000;  // capped at 5,000
    requireAgreement(body.dump(), true);
    CHECK(decodeSyncRequestStreaming(body.dump())->limit == server::kMaxPullLimit);
    body["ops"] = Json::array();
    requireAgreement(body.dump(), true);
    // `ack`: absent (a client of 0.1), "" (nothing to acknowledge) or a token.
    CHECK_FALSE(decodeSyncRequestStreaming(body.dump())->ack);
    for (const char* ack : {"", "0123456789abcdef0123456789abcdef"}) {
        body["ack"] = ack;
        requireAgreement(body.dump(), true);
        CHECK(decodeSyncRequestStreaming(body.dump())->ack == std::optional<std::string>(ack));
    }
    body["extra"] = "ignored";
    body["ops"] = Json::array({validOp(1)});
    body["ops"][0]["comment"] = 3;
    body["ops"][0]["seq"] = 99;  // the server's to assign: dropped
    body["ops"][0]["author"] = "fedcba9876543210fedcba9876543210";
    requireAgreement(body.dump(), true);
    for (Json value : {Json(nullptr), Json(true), Json(-5), Json(18446744073709551615ULL), Json(2.5), Json(""),
                       Json("\u00e9\u4e2d")}) {
        body["ops"][0]["value"] = value;
        requireAgreement(body.dump(), true);
    }
    // Member order, whitespace and escapes do not matter.
    requireAgreement(R"( { "ops" : [ { "hlc":"0000018bcfe56800", "value":"a\"b\u4e2d", "field":"note",
        "type":"progress_entry", "entity":"0123456789abcdef0123456789abcdef", "n":3,
        "site":"00000000000000a1" } ], "cursor":0, "site":"00000000000000a1" } )",
                     true);
}

TEST_CASE("sync body: anything unusual goes to the tree decoder, which names the error", "[service]") {
    const std::string valid = validBody().dump();
    const std::vector<std::string> malformed = {
        "", "null", "[]", "{}", "{", valid + "x", valid.substr(0, valid.size() / 2),
        R"({"site":"00000000000000a1","cursor":0})",
        R"({"site":"00000000000000a1","cursor":-1,"ops":[]})",
        R"({"site":"00000000000000a1","cursor":1.5,"ops":[]})",
        R"({"site":"00000000000000a1","cursor":18446744073709551615,"ops":[]})",
        R"({"site":"00000000000000A1","cursor":0,"ops":[]})",
        R"({"site":1,"cursor":0,"ops":[]})",
        R"({"site":"00000000000000a1","cursor":0,"ops":{}})",
        R"({"site":"00000000000000a1","cursor":0,"ops":null})",
        R"({"site":"00000000000000a1","cursor":0,"ops":[1]})",
        R"({"site":"00000000000000a1","cursor":0,"ops":[[]]})",
        R"({"site":"00000000000000a1","cursor":0,"ops":[],"limit":0})",
        R"({"site":"00000000000000a1","cursor":0,"ops":[],"limit":"5"})",
        "{\"site\":\"00000000000000a1\",\"cursor\":0,\"ops\":[],\"bad\":\"\xff\"}",
    };
    for (const std::string& body : malformed) {
        requireAgreement(body, false);
        auto decoded = decodeSyncRequest(body);
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == "bad_request");
    }
    Json tooMany = validBody();
    tooMany["ops"] = Json::array();
    for (int i = 1; i <= 5001; ++i) tooMany["ops"].push_back(validOp(i));
    requireAgreement(tooMany.dump(), false);
    auto tooManyAnswer = decodeSyncRequest(tooMany.dump());
    REQUIRE_FALSE(tooManyAnswer);
    CHECK(tooManyAnswer.error().code == "payload_too_large");

    // Valid to the tree decoder, but not the usual shape: declined by the streaming one
    // (a repeated member, an unknown member that is an object, an op value that is an
    // array: the schema refuses it later, op by op).
    for (const std::string& body :
         {std::string(R"({"site":"00000000000000a1","site":"00000000000000a2","cursor":0,"ops":[]})"),
          std::string(R"({"site":"00000000000000a1","cursor":0,"ops":[],"nested":{"a":[1]}})")}) {
        CHECK_FALSE(decodeSyncRequestStreaming(body));
        requireAgreement(body, false);
        CHECK(decodeSyncRequest(body));
    }
    // `ack` of any type but a string: 400, in the tree decoder's words.
    for (Json wrong : {Json(nullptr), Json(0), Json(true), Json::array(), Json::object(), Json::array({"t"})}) {
        Json body = validBody();
        body["ack"] = wrong;
        requireAgreement(body.dump(), false);
        auto decoded = decodeSyncRequest(body.dump());
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error().code == "bad_request");
        CHECK(decoded.error().message == "\"ack\" must be a string");
    }
    // Every member of an op, made wrong (or missing) in turn.
    for (const char* key : {"site", "n", "entity", "type", "field", "value", "hlc", "seq", "author"}) {
        for (Json wrong : {Json(), Json(0), Json(-1), Json(1.5), Json("zz"), Json::array(), Json::object()}) {
            Json body = validBody();
            if (wrong.is_null() && std::string(key) != "seq" && std::string(key) != "author")
                body["ops"][1].erase(key);
            else
                body["ops"][1][key] = wrong;
            requireAgreement(body.dump(), false);
        }
    }
}

TEST_CASE("sync body: random damage to a valid body never makes the decoders disagree", "[service]") {
    const std::string valid = validBody().dump();
    std::mt19937 random(20261123);
    const std::string alphabet = "{}[]\",:0123456789abcdef-.eEtrunlsx \\\xe4\xb8\xad";
    for (int i = 0; i < 3000; ++i) {
        std::string body = valid;
        const int edits = 1 + static_cast<int>(random() % 3);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = random() % body.size();
            switch (random() % 3) {
            case 0: body[at] = alphabet[random() % alphabet.size()]; break;
            case 1: body.erase(at, 1 + random() % 4); break;
            default: body.insert(at, 1, alphabet[random() % alphabet.size()]); break;
            }
            if (body.empty()) body.push_back('{');
        }
        requireAgreement(body, false);
    }
}
