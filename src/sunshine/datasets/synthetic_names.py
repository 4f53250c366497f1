"""Word lists for the synthetic county: surnames, given-name characters, place and compound
names. Written for this project; frequencies are rough, only meant to look ordinary."""

from __future__ import annotations

from typing import Final

import numpy as np

# Common surnames, roughly most frequent first; two compound surnames exercise the masking of
# four-character names.
SURNAMES: Final = (
    *tuple(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
        "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
        "毛郝龚邵万钱严覃武戴莫孔向汤"
    ),
    "欧阳",
    "司马",
)

GIVEN_MALE: Final = tuple("伟强磊军勇杰涛斌浩宇轩博文俊鹏辉明健晨阳子睿泽宁航毅凯")
GIVEN_FEMALE: Final = tuple("芳娜静敏丽艳婷雪琳颖欣怡萱涵妍悦佳琪雨诗梦思瑶菲晶婧蕾")
GIVEN_COMMON: Final = tuple("一安嘉家佳思雨子梓若天心可乐")

TOWN_STEMS: Final = (
    "城关", "城东", "城西", "城南", "城北", "江滨", "新城", "文昌", "青山", "白沙", "柳溪", "石桥",
    "龙泉", "凤凰", "桃源", "梅林", "松岭", "竹溪", "金桥", "银湖", "清河", "永安", "太平", "长乐",
    "福田", "丰收", "双溪", "三江", "五里", "七星", "九龙", "马鞍", "黄泥", "红旗", "东岗", "西湖",
    "南湖", "北山", "上塘", "下沙", "前进", "后湾", "大桥", "小河", "古城", "新桥", "月湖", "星光",
    "河口", "高岭", "平原", "花园", "兴隆", "和平", "仁和", "崇德", "临浦", "义桥", "瓜沥", "义蓬",
)  # fmt: skip

COMPOUND_PREFIXES: Final = (
    "阳光", "金色", "翠苑", "锦绣", "和平", "幸福", "春江", "绿城", "滨江", "桂花", "书香", "紫荆",
    "天和", "泰和", "嘉禾", "康乐", "丽景", "华府", "御景", "东方", "世纪", "龙湖", "香樟", "枫林",
    "银杏", "明珠", "盛世", "学府", "水岸", "云栖",
)  # fmt: skip
COMPOUND_SUFFIXES: Final = (
    "花园", "小区", "家园", "公寓", "新村", "苑", "华庭", "名邸", "雅苑", "府",
)  # fmt: skip

PRIMARY_SCHOOL_SUFFIX: Final = "小学"
JUNIOR_SCHOOL_SUFFIX: Final = "中学"
PRIVATE_SCHOOL_NAMES: Final = ("外国语学校", "育才学校", "实验学校", "博雅学校", "启明学校")

_DIGITS_ZH: Final = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (二, 十二, 三十五); larger numbers in Arabic digits."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS_ZH[ones]
    head = "" if tens == 1 else _DIGITS_ZH[tens]
    return head + "十" + (_DIGITS_ZH[ones] if ones else "")


def surname_weights() -> np.ndarray:
    """Zipf-like frequencies, the compound surnames rare."""
    w = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
    w[-2:] = w[-3] * 0.2
    return w / w.sum()


def given_names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    """One or two given-name characters per child (U2 array), drawn by gender."""
    n = len(male)
    boys = np.array(GIVEN_MALE + GIVEN_COMMON)
    girls = np.array(GIVEN_FEMALE + GIVEN_COMMON)
    first = np.where(
        male, boys[rng.integers(0, len(boys), n)], girls[rng.integers(0, len(girls), n)]
    )
    second = np.where(
        male, boys[rng.integers(0, len(boys), n)], girls[rng.integers(0, len(girls), n)]
    )
    two = rng.random(n) < 0.7
    return np.where(two, np.char.add(first, second), first)


def compound_name(local_index: int) -> str:
    """The name of the ``local_index``-th compound of a town: unique within the town."""
    p, s = len(COMPOUND_PREFIXES), len(COMPOUND_SUFFIXES)
    base = COMPOUND_PREFIXES[local_index % p] + COMPOUND_SUFFIXES[(local_index // p) % s]
    phase = local_index // (p * s)
    return base if phase == 0 else f"{base}{chinese_number(phase + 1)}期"


def town_name(index: int) -> str:
    stem = TOWN_STEMS[index % len(TOWN_STEMS)]
    round_ = index // len(TOWN_STEMS)
    stem = stem if round_ == 0 else f"{stem}{chinese_number(round_ + 1)}"
    # The first few towns are the urban 街道, the rest rural 镇.
    return stem + ("街道" if index < 5 else "镇")
