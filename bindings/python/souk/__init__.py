"""souk: an embeddable commerce engine for multi-merchant marketplaces.

The API mirrors the C++ one in snake_case; see docs/python.md. Every name below comes from
the compiled module souk._core.
"""

from souk._core import __version__

# Errors: souk.Error and one subclass per souk.Errc code.
from souk._core import (
    AlreadyExists,
    Conflict,
    CorruptJournal,
    CurrencyMismatch,
    Errc,
    Error,
    Forbidden,
    ForeignFile,
    InsufficientStock,
    InvalidArgument,
    InvalidState,
    LimitExceeded,
    NotFound,
    Overflow,
    PaymentFailed,
    StorageFailure,
    Unauthenticated,
    UnsupportedVersion,
)

# Money.
from souk._core import Currency, Money, allocate

# Ids, time, actors, paging.
from souk._core import (
    AddressId,
    AfterSalesId,
    CategoryId,
    CouponId,
    CouponTemplateId,
    EntityKind,
    EntityRef,
    FlashSaleId,
    GroupId,
    GroupOfferId,
    PaymentOrderId,
    PayoutId,
    ProductId,
    RefundId,
    ReservationId,
    ReviewId,
    SessionId,
    ShippingTemplateId,
    ShopId,
    SkuId,
    SpendPromotionId,
    SubOrderId,
    WalletTopupId,
    UserId,
)
from souk._core import Clock, ManualClock, SystemClock, format_timestamp, parse_timestamp
from souk._core import Actor
from souk._core import Page

# Accounts.
from souk._core import Accounts, LoginSession, PlatformRole, SessionInfo, UserProfile

# Shops.
from souk._core import ShopApplication, ShopDetails, ShopProfile, ShopProfileUpdate, Shops, ShopStatus

# Catalog and product search.
from souk._core import (
    AttributeDefinition,
    Catalog,
    CategoryInfo,
    CategorySpec,
    ProductDraft,
    ProductInfo,
    ProductStatus,
    ProductUpdate,
    PurchasableSku,
    SearchHit,
    SearchQuery,
    SearchResult,
    SearchSort,
    SkuDraft,
    SkuInfo,
    SpecDimension,
)

# Inventory.
from souk._core import (
    Inventory,
    ReservationHolder,
    ReservationInfo,
    ReservationOwner,
    ReservationStatus,
    StockChange,
    StockLevel,
    StockLine,
)

# Payments: the provider port, its records, and the sandbox.
from souk._core import (
    ClientAction,
    IntentRequest,
    Notification,
    PaymentEvent,
    PaymentEventKind,
    PaymentIntent,
    PaymentProvider,
    PaymentStatus,
    RefundReceipt,
    RefundReference,
    RefundRequest,
    RefundStatus,
    SandboxBehavior,
    SandboxOutcome,
    SandboxPayment,
    SandboxProvider,
)

# The cart: addresses, cart lines, checkout and quotes.
from souk._core import (
    AddressEntry,
    Cart,
    CartLineView,
    CartShopGroup,
    CartView,
    CheckoutRequest,
    DiscountKind,
    DiscountShare,
    LineRequest,
    PostalAddress,
    Quote,
    QuoteDiscount,
    QuoteLine,
    RegionCode,
    ShopQuote,
)

# Orders: placing, paying, shipping, refunds and payment alerts.
from souk._core import (
    CancelCause,
    NotificationOutcome,
    NotificationResult,
    OrderFilter,
    OrderLine,
    Orders,
    OrdersTickReport,
    PaymentAlert,
    PaymentAlertReason,
    PaymentAttemptInfo,
    PaymentAttemptStatus,
    PaymentOrderInfo,
    PaymentOrderStatus,
    PaymentStart,
    PlaceRequest,
    RefundInfo,
    RefundKind,
    RefundLine,
    RefundState,
    Shipment,
    ShipmentRequest,
    ShippedLine,
    SubOrderFilter,
    SubOrderInfo,
    SubOrderStatus,
)

# Shipping: fee templates, tracking and the carrier port.
from souk._core import (
    CarrierTracker,
    FeeBasis,
    OverdueSubOrder,
    ScriptedCarrierTracker,
    ShipmentView,
    Shipping,
    ShippingRate,
    ShippingTemplateInfo,
    ShippingTemplateSpec,
    TrackingUpdate,
)

# After-sales: refund and return requests.
from souk._core import (
    AfterSales,
    AfterSalesFilter,
    AfterSalesInfo,
    AfterSalesKind,
    AfterSalesLine,
    AfterSalesLineInfo,
    AfterSalesRequest,
    AfterSalesStatus,
    DecidedBy,
)

# Reviews.
from souk._core import RatingSummary, ReviewDraft, ReviewInfo, Reviews

# The ledger: accounts, postings, statements, the trial balance, settlement and payouts.
from souk._core import (
    AccountBalance,
    AccountStatement,
    Ledger,
    LedgerAccount,
    LedgerAccountKind,
    LedgerEntry,
    PayoutClawback,
    PayoutInfo,
    PayoutStatus,
    PayoutSubOrder,
    Posting,
    SettlementReport,
    ShopMoney,
    StatementLine,
    TrialBalance,
    TrialBalanceTotal,
    is_debit_normal,
    must_not_go_negative,
)

# Promotions: coupons, 满减 tiers, 秒杀 flash sales and stacking rules.
from souk._core import (
    CouponBenefit,
    CouponInfo,
    CouponStatus,
    CouponTemplateInfo,
    CouponTemplateSpec,
    FlashSaleInfo,
    FlashSaleItem,
    FlashSales,
    FlashSaleSpec,
    PromotionScope,
    Promotions,
    ScopeKind,
    SpendPromotionInfo,
    SpendPromotionSpec,
    SpendTier,
    StackingRules,
)

# Reports: a period's figures, the CSV exports, reconciliation of a provider's settlement file.
from souk._core import (
    CategorySales,
    DailySales,
    ProductSales,
    ProviderTransaction,
    ProviderTransactionType,
    Reconciliation,
    ReconciliationMismatch,
    ReportPeriod,
    Reports,
    SalesSummary,
)
# Customer wallets: top-ups through a provider, paying with the provider "wallet".
from souk._core import WALLET_PROVIDER, TopupStatus, Wallet, WalletTopup

# 拼团 group buying.
from souk._core import (
    GroupBuying,
    GroupBuyingTickReport,
    GroupCheckout,
    GroupInfo,
    GroupMember,
    GroupMemberStatus,
    GroupOfferInfo,
    GroupOfferSpec,
    GroupStatus,
)

# The marketplace.
from souk._core import AuditEntry, Marketplace, PasswordHashing, Pipeline, TickReport
