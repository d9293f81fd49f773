#pragma once
// Person resolution behind one interface: the rules and reports see only a
// Resolution, whichever resolver produced it.

#include <memory>
#include <string_view>

#include "engine/core/status.h"
#include "engine/normalize/dataset.h"
#include "engine/resolve/resolution.h"

namespace rollmatch {

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual std::string_view name() const = 0;
  virtual Result<Resolution> Resolve(const Dataset& data) = 0;
};

// First version: records sharing a valid normalized citizen ID are one
// person; a record without a valid ID is a person of its own.
std::unique_ptr<Resolver> MakeExactIdResolver();

}  // namespace rollmatch
