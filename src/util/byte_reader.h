// Bounds-checked big-endian reader over a byte string. Every read checks the
// remaining length first; a failed read leaves the reader unchanged and
// returns nullopt, so parsers of untrusted input cannot run past the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vouch::util {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  size_t position() const { return pos_; }
  std::string_view rest() const { return data_.substr(pos_); }

  std::optional<uint8_t> u8() {
    if (remaining() < 1) return std::nullopt;
    return static_cast<uint8_t>(data_[pos_++]);
  }
  std::optional<uint16_t> u16() {
    if (remaining() < 2) return std::nullopt;
    uint16_t v = static_cast<uint16_t>((byte(0) << 8) | byte(1));
    pos_ += 2;
    return v;
  }
  std::optional<uint32_t> u32() {
    if (remaining() < 4) return std::nullopt;
    uint32_t v = (uint32_t{byte(0)} << 24) | (uint32_t{byte(1)} << 16) | (uint32_t{byte(2)} << 8) | byte(3);
    pos_ += 4;
    return v;
  }
  std::optional<uint64_t> u64() {
    auto hi = u32();
    if (!hi) return std::nullopt;
    auto lo = u32();
    if (!lo) { pos_ -= 4; return std::nullopt; }
    return (uint64_t{*hi} << 32) | *lo;
  }
  std::optional<std::string_view> bytes(size_t n) {
    if (remaining() < n) return std::nullopt;
    auto v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  /// SSH wire "string": uint32 length, then that many bytes.
  std::optional<std::string_view> ssh_string() {
    size_t start = pos_;
    auto n = u32();
    if (!n) return std::nullopt;
    auto v = bytes(*n);
    if (!v) pos_ = start;
    return v;
  }

 private:
  uint8_t byte(size_t i) const { return static_cast<uint8_t>(data_[pos_ + i]); }
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace vouch::util
