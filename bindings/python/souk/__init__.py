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
    CategoryId,
    CouponId,
    CouponTemplateId,
    EntityKind,
    EntityRef,
    GroupId,
    GroupOfferId,
    PaymentOrderId,
    ProductId,
    RefundId,
    ReservationId,
    SessionId,
    ShopId,
    SkuId,
    SpendPromotionId,
    SubOrderId,
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

# Promotions: coupons, 满减 tiers and stacking rules.
from souk._core import (
    CouponBenefit,
    CouponInfo,
    CouponStatus,
    CouponTemplateInfo,
    CouponTemplateSpec,
    PromotionScope,
    Promotions,
    ScopeKind,
    SpendPromotionInfo,
    SpendPromotionSpec,
    SpendTier,
    StackingRules,
)

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
from souk._core import AuditEntry, Marketplace, PasswordHashing, TickReport
