"""Word lists the generated Hong Kong customers are made of. Data only, no logic."""

from __future__ import annotations

__all__ = [
    "BILLING_CURRENCIES",
    "BUSINESS_KINDS",
    "CARD_BRANDS",
    "DIAL_CODES",
    "DISTRICTS",
    "ENGLISH_GIVEN_NAMES",
    "FAILURES_BY_TOKEN_TYPE",
    "GIVEN_NAMES",
    "PERSONAL_EMAIL_DOMAINS",
    "SURNAMES",
    "UNKNOWN_STATES",
]

# (romanisation as used on HK identity cards, Chinese character)
SURNAMES = (
    ("Chan", "陳"), ("Lee", "李"), ("Cheung", "張"), ("Wong", "黃"), ("Ho", "何"),
    ("Lam", "林"), ("Leung", "梁"), ("Lau", "劉"), ("Ng", "吳"), ("Cheng", "鄭"),
    ("Mak", "麥"), ("Kwok", "郭"), ("Yeung", "楊"), ("Chow", "周"), ("Tse", "謝"),
    ("Fung", "馮"), ("Choi", "蔡"), ("Tsang", "曾"), ("Yuen", "袁"), ("Yip", "葉"),
    ("Lo", "羅"), ("Poon", "潘"), ("Siu", "蕭"), ("Tang", "鄧"), ("Hui", "許"),
)  # fmt: skip

GIVEN_NAMES = (
    ("Tai Man", "大文"), ("Siu Ming", "小明"), ("Ka Yan", "嘉欣"), ("Chi Keung", "志強"),
    ("Mei Ling", "美玲"), ("Ka Ho", "家豪"), ("Wing Sze", "詠詩"), ("Wai Ming", "偉明"),
    ("Sze Man", "思敏"), ("Chun Kit", "俊傑"), ("Hoi Lam", "凱琳"), ("Tsz Hin", "子軒"),
    ("Hiu Ching", "曉晴"), ("Ho Yin", "浩然"), ("Lai Wah", "麗華"), ("Kwok Wing", "國榮"),
    ("Yuk Ying", "玉瑩"), ("Man Kit", "文傑"), ("Pui Shan", "佩珊"), ("King Fai", "景輝"),
)  # fmt: skip

ENGLISH_GIVEN_NAMES = (
    "Alice", "Brian", "Carmen", "Derek", "Eric", "Fiona", "Gloria", "Henry", "Ivy",
    "Jason", "Kelvin", "Karen", "Leo", "Mandy", "Natalie", "Oscar", "Peggy", "Raymond",
    "Stephanie", "Tommy", "Vincent", "Winnie", "Zoe", "Anson", "Queenie",
)  # fmt: skip

# (English, Chinese) for business customers (linked_source_type Store).
DISTRICTS = (
    ("Mong Kok", "旺角"), ("Causeway Bay", "銅鑼灣"), ("Tsim Sha Tsui", "尖沙咀"),
    ("Sham Shui Po", "深水埗"), ("Yuen Long", "元朗"), ("Sha Tin", "沙田"),
    ("Kwun Tong", "觀塘"), ("Central", "中環"), ("Wan Chai", "灣仔"), ("Tuen Mun", "屯門"),
    ("Tai Po", "大埔"), ("North Point", "北角"),
)  # fmt: skip

BUSINESS_KINDS = (
    ("Tea Restaurant", "茶餐廳"), ("Bakery", "餅店"), ("Florist", "花店"),
    ("Pharmacy", "藥房"), ("Noodle House", "麵家"), ("Optical", "眼鏡店"),
    ("Electronics", "電器行"), ("Dessert House", "糖水舖"), ("Book Store", "書局"),
    ("Seafood Restaurant", "海鮮酒家"),
)  # fmt: skip

PERSONAL_EMAIL_DOMAINS = (
    "gmail.com", "gmail.com", "yahoo.com.hk", "hotmail.com", "outlook.com",
    "netvigator.com", "icloud.com", "biznetvigator.com",
)  # fmt: skip

# (dial code, share in per-mille, mobile number prefixes, digits after the prefix)
DIAL_CODES = (
    ("+852", 850, ("5", "6", "9"), 7),
    ("+86", 80, ("138", "139", "150", "186", "188"), 8),
    ("+65", 40, ("8", "9"), 7),
    ("+853", 20, ("62", "66"), 6),
    ("+44", 10, ("77", "79"), 8),
)

# (brand, share in per-mille, number prefixes, number length)
CARD_BRANDS = (
    ("Visa", 450, ("424242", "453201", "476173", "491761", "400551"), 16),
    ("Mastercard", 350, ("545454", "222300", "520082", "535310", "558474"), 16),
    ("AMEX", 80, ("378282", "371449", "340000"), 15),
    ("UnionPay", 80, ("622202", "621483", "625094"), 16),
    ("JCB", 40, ("353011", "356600", "358900"), 16),
)

# (currency, share in per-mille)
BILLING_CURRENCIES = (("HKD", 900), ("USD", 40), ("CNY", 40), ("SGD", 20))

# Why binding a token failed, as (error_code, error_msg). Card codes follow ISO 8583
# response codes where one exists, the rest a gateway-style E2xxxxx.
FAILURES_BY_TOKEN_TYPE = {
    "CreditCard": (
        ("51", "Insufficient funds"),
        ("05", "Do not honour"),
        ("54", "Expired card"),
        ("14", "Invalid card number"),
        ("57", "Transaction not permitted to cardholder"),
        ("E200110", "Card declined by issuer"),
        ("E200301", "3-D Secure authentication failed"),
        ("E200302", "3-D Secure authentication timed out"),
    ),
    "AlipayAutoDebit": (
        ("E210001", "Alipay agreement cancelled by user"),
        ("E210002", "Alipay account frozen"),
        ("E210003", "User did not complete Alipay signing in time"),
    ),
    "WechatPayAutoDebit": (
        ("E220001", "WeChat Pay signing timeout"),
        ("E220002", "WeChat Pay contract terminated by user"),
        ("E220003", "WeChat Pay account has no real-name verification"),
    ),
}

# States outside Wonder's documented success/pending/failed; the dashboard must show them
# as they are, marked unknown.
UNKNOWN_STATES = ("processing", "revoked", "suspended")
