// souk — the whole public API in one include.
#pragma once

#include "souk/accounts.hpp"
#include "souk/actor.hpp"
#include "souk/audit.hpp"
#include "souk/catalog.hpp"
#include "souk/clock.hpp"
#include "souk/error.hpp"
#include "souk/ids.hpp"
#include "souk/inventory.hpp"
#include "souk/journal.hpp"
#include "souk/marketplace.hpp"
#include "souk/money.hpp"
#include "souk/paging.hpp"
#include "souk/shops.hpp"
#include "souk/storage/memory_journal.hpp"
#include "souk/storage/sqlite_journal.hpp"
