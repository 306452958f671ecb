// souk.Ledger (marketplace.ledger): balances, statements, the trial balance, postings,
// settlement runs and payouts, with their records. Every method runs without the GIL.
#include "bindings.hpp"

#include "souk/ledger.hpp"

namespace souk::python {
namespace {

const EnumNames<LedgerAccountKind>& account_kind_names() {
    using enum LedgerAccountKind;
    static const auto names = names_from({payment_clearing, shop_escrow, shop_available, shop_payout,
                                          platform_commission, platform_promotion, refunds_payable, payouts_disbursed,
                                          customer_wallet},
                                         ledger_account_kind_name);
    return names;
}

const EnumNames<PayoutStatus>& payout_status_names() {
    using enum PayoutStatus;
    static const auto names = names_from({pending, paid, failed}, payout_status_name);
    return names;
}

void bind_accounts_and_postings(py::module_& m) {
    bind_enum(m, "LedgerAccountKind",
              "payment_clearing (at a provider), shop_escrow, shop_available (negative: the shop owes),\n"
              "shop_payout, platform_commission, platform_promotion, refunds_payable, payouts_disbursed,\n"
              "customer_wallet (a customer's wallet balance).",
              account_kind_names());
    m.def("is_debit_normal", &is_debit_normal, py::arg("kind"),
          "Whether the kind's balance is debits - credits (assets, expenses) rather than credits - debits.");
    m.def("must_not_go_negative", &must_not_go_negative, py::arg("kind"),
          "Whether the kind's balance can never go below zero (all but shop_available).");

    py::class_<LedgerAccount> account(
        m, "LedgerAccount",
        "An account: kind, shop (for the shop_* kinds), provider (for payment_clearing), customer (for\n"
        "customer_wallet) and currency. Build one with LedgerAccount.of_shop, .clearing, .wallet or .platform.");
    account
        .def_static(
            "of_shop",
            [](const EnumArg<LedgerAccountKind>& kind, ShopId shop, const CurrencyArg& currency) {
                return LedgerAccount::of_shop(to_enum(kind, account_kind_names(), "account kind"), shop,
                                              to_currency(currency));
            },
            py::arg("kind"), py::arg("shop"), py::arg("currency"))
        .def_static(
            "clearing",
            [](std::string provider, const CurrencyArg& currency) {
                return LedgerAccount::clearing(std::move(provider), to_currency(currency));
            },
            py::arg("provider"), py::arg("currency"))
        .def_static(
            "wallet",
            [](UserId customer, const CurrencyArg& currency) {
                return LedgerAccount::wallet(customer, to_currency(currency));
            },
            py::arg("customer"), py::arg("currency"))
        .def_static(
            "platform",
            [](const EnumArg<LedgerAccountKind>& kind, const CurrencyArg& currency) {
                return LedgerAccount::platform(to_enum(kind, account_kind_names(), "account kind"),
                                               to_currency(currency));
            },
            py::arg("kind"), py::arg("currency"))
        .def("__str__", [](const LedgerAccount& a) { return ledger_account_name(a); })
        .def("__hash__", [](const LedgerAccount& a) { return py::hash(py::str(ledger_account_name(a))); })
        .def(py::self == py::self)
        .def(py::self != py::self);
    def_readonly_fields(account, field("kind", &LedgerAccount::kind), field("shop", &LedgerAccount::shop),
                        field("provider", &LedgerAccount::provider), field("currency", &LedgerAccount::currency),
                        field("customer", &LedgerAccount::customer));

    py::class_<LedgerEntry> entry(m, "LedgerEntry", "One side of a posting: a positive amount debits the account.");
    def_readonly_fields(entry, field("account", &LedgerEntry::account), field("amount", &LedgerEntry::amount));
    entry.def(py::self == py::self).def(py::self != py::self);

    py::class_<Posting> posting(m, "Posting",
                                "Balanced entries and their cause: the entity (EntityRef) and the event that moved\n"
                                "the money.");
    def_readonly_fields(posting, field("number", &Posting::number), field("posted_at", &Posting::posted_at),
                        field("cause", &Posting::cause), field("cause_event", &Posting::cause_event),
                        field("entries", &Posting::entries));
    posting.def(py::self == py::self).def(py::self != py::self);

    py::class_<AccountBalance> balance(m, "AccountBalance",
                                       "An account's debits, credits (both positive) and balance on its normal side.");
    def_readonly_fields(balance, field("account", &AccountBalance::account), field("debits", &AccountBalance::debits),
                        field("credits", &AccountBalance::credits), field("balance", &AccountBalance::balance));
    balance.def(py::self == py::self).def(py::self != py::self);

    py::class_<StatementLine> line(m, "StatementLine", "A statement entry: positive amounts are debits.");
    def_readonly_fields(line, field("posting", &StatementLine::posting), field("posted_at", &StatementLine::posted_at),
                        field("cause", &StatementLine::cause), field("cause_event", &StatementLine::cause_event),
                        field("amount", &StatementLine::amount),
                        field("running_balance", &StatementLine::running_balance));
    line.def(py::self == py::self).def(py::self != py::self);

    py::class_<AccountStatement> statement(m, "AccountStatement", "One page of an account's entries, oldest first.");
    def_readonly_fields(statement, field("balance", &AccountStatement::balance),
                        field("total_lines", &AccountStatement::total_lines), field("lines", &AccountStatement::lines));
    statement.def(py::self == py::self).def(py::self != py::self);

    py::class_<TrialBalanceTotal> total(m, "TrialBalanceTotal", "Debits and credits of one currency.");
    def_readonly_fields(total, field("currency", &TrialBalanceTotal::currency),
                        field("debits", &TrialBalanceTotal::debits), field("credits", &TrialBalanceTotal::credits));
    total.def(py::self == py::self).def(py::self != py::self);

    py::class_<TrialBalance> trial(m, "TrialBalance", "Every account, and debits against credits per currency.");
    def_readonly_fields(trial, field("accounts", &TrialBalance::accounts), field("totals", &TrialBalance::totals));
    trial.def("balanced", &TrialBalance::balanced).def(py::self == py::self).def(py::self != py::self);
}

void bind_payouts(py::module_& m) {
    bind_enum(m, "PayoutStatus", "pending -> paid | failed (a failed payout's money returns to the shop).",
              payout_status_names());

    py::class_<PayoutSubOrder> sub_order(m, "PayoutSubOrder", "A completed sub-order a payout settles.");
    def_readonly_fields(sub_order, field("sub_order", &PayoutSubOrder::sub_order),
                        field("proceeds", &PayoutSubOrder::proceeds), field("commission", &PayoutSubOrder::commission));
    sub_order.def(py::self == py::self).def(py::self != py::self);

    py::class_<PayoutClawback> clawback(m, "PayoutClawback",
                                        "A refund after completion that a payout nets (commission returned deducted).");
    def_readonly_fields(clawback, field("refund", &PayoutClawback::refund),
                        field("sub_order", &PayoutClawback::sub_order), field("amount", &PayoutClawback::amount));
    clawback.def(py::self == py::self).def(py::self != py::self);

    py::class_<PayoutInfo> payout(m, "PayoutInfo", "A payout and its statement.");
    def_readonly_fields(payout, field("id", &PayoutInfo::id), field("shop", &PayoutInfo::shop),
                        field("amount", &PayoutInfo::amount), field("status", &PayoutInfo::status),
                        field("sub_orders", &PayoutInfo::sub_orders), field("clawbacks", &PayoutInfo::clawbacks),
                        field("commission", &PayoutInfo::commission), field("created_at", &PayoutInfo::created_at),
                        field("settled_at", &PayoutInfo::settled_at), field("reference", &PayoutInfo::reference));
    payout.def(py::self == py::self).def(py::self != py::self);

    py::class_<ShopMoney> money(m, "ShopMoney",
                                "Where a shop's money is: escrow, available (not_due of it inside the settlement\n"
                                "cycle), in_payout; settlement_days is its T+N.");
    def_readonly_fields(money, field("shop", &ShopMoney::shop), field("escrow", &ShopMoney::escrow),
                        field("available", &ShopMoney::available), field("not_due", &ShopMoney::not_due),
                        field("in_payout", &ShopMoney::in_payout), field("settlement_days", &ShopMoney::settlement_days));
    money.def(py::self == py::self).def(py::self != py::self);

    py::class_<SettlementReport> report(m, "SettlementReport",
                                        "What a settlement run did: the payouts created, and the shops in debt.");
    def_readonly_fields(report, field("payouts", &SettlementReport::payouts), field("in_debt", &SettlementReport::in_debt));
    report.def(py::self == py::self).def(py::self != py::self);
}

void bind_service(py::module_& m) {
    py::class_<Ledger> ledger(m, "Ledger",
                              "The double-entry books (marketplace.ledger). Platform staff read and do everything; a\n"
                              "shop's owner and staff read their shop's accounts, postings and payouts.");
    ledger.attr("max_settlement_days") = Ledger::max_settlement_days;
    ledger
        .def("balance", &Ledger::balance, py::arg("actor"), py::arg("account"), ReleaseGil(),
             "The account's AccountBalance (zero if never posted to).")
        .def("statement", &Ledger::statement, py::arg("actor"), py::arg("account"), py::arg("page") = Page{},
             ReleaseGil(), "A page of the account's entries with their running balance.")
        .def("trial_balance", &Ledger::trial_balance, py::arg("actor"), ReleaseGil(),
             "Every account and the totals per currency. Platform staff only.")
        .def("posting", &Ledger::posting, py::arg("actor"), py::arg("number"), ReleaseGil(),
             "One posting by number. Platform staff only.")
        .def("postings_of", &Ledger::postings_of, py::arg("actor"), py::arg("cause"), ReleaseGil(),
             "The postings an entity (a sub-order, refund, payout, ...) caused, oldest first.")
        .def("posting_count", &Ledger::posting_count, py::arg("actor"), ReleaseGil())
        .def(
            "shop_money",
            [](const Ledger& self, const Actor& actor, ShopId shop, const CurrencyArg& currency) {
                const auto code = to_currency(currency);
                py::gil_scoped_release release;
                return self.shop_money(actor, shop, code);
            },
            py::arg("actor"), py::arg("shop"), py::arg("currency"), "The shop's ShopMoney in one currency.")
        .def("set_settlement_days", &Ledger::set_settlement_days, py::arg("actor"), py::arg("shop"), py::arg("days"),
             ReleaseGil(), "The shop's T+N (0..max_settlement_days). Platform staff only.")
        .def("settle", &Ledger::settle, py::arg("actor"), py::arg("now"), ReleaseGil(),
             "Moves what is due into payouts; returns a SettlementReport. Platform staff only.")
        .def("payout", &Ledger::payout, py::arg("actor"), py::arg("payout"), ReleaseGil())
        .def("payouts_of", &Ledger::payouts_of, py::arg("actor"), py::arg("shop"), py::arg("page") = Page{},
             ReleaseGil())
        .def("mark_payout_paid", &Ledger::mark_payout_paid, py::arg("actor"), py::arg("payout"), py::arg("reference"),
             ReleaseGil(), "The bank confirmed the transfer (reference: 1..100 characters).")
        .def("mark_payout_failed", &Ledger::mark_payout_failed, py::arg("actor"), py::arg("payout"),
             py::arg("reason"), ReleaseGil(), "The transfer failed: the money returns to the shop's available balance.");
}

}  // namespace

void bind_ledger(py::module_& m) {
    bind_accounts_and_postings(m);
    bind_payouts(m);
    bind_service(m);
}

}  // namespace souk::python
