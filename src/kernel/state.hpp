// The whole in-memory state: one part per module, rebuilt from the journal by apply alone.
#pragma once

#include "accounts/state.hpp"
#include "after_sales/state.hpp"
#include "cart/state.hpp"
#include "catalog/state.hpp"
#include "group_buying/state.hpp"
#include "inventory/state.hpp"
#include "kernel/audit_index.hpp"
#include "ledger/state.hpp"
#include "orders/state.hpp"
#include "reviews/state.hpp"
#include "promotions/flash_state.hpp"
#include "promotions/state.hpp"
#include "search/state.hpp"
#include "shipping/state.hpp"
#include "shops/state.hpp"
#include "wallet/state.hpp"

namespace souk::detail {

struct State {
    AccountsState accounts;
    ShopsState shops;
    CartState cart;
    OrdersState orders;
    CatalogState catalog;
    InventoryState inventory;
    ShippingState shipping;
    AfterSalesState after_sales;
    ReviewsState reviews;
    LedgerState ledger;
    PromotionsState promotions;
    WalletState wallet;
    FlashSalesState flash_sales;
    GroupBuyingState group_buying;
    SearchState search;  // derived from catalog, shops and inventory as their events apply
    AuditIndex audit;
    JournalPosition applied_position = 0;  // the last record applied
};

}  // namespace souk::detail
