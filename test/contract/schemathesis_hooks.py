"""schemathesis hooks of test/contract/openapi.test.ts (loaded through SCHEMATHESIS_HOOKS).

They teach schemathesis the string formats of the gateway's document that no pattern can carry,
so that the values it generates as valid are valid: without them, an unknown format is ignored and
its positive test cases are refused for good reason. Negative test cases are not affected.

Only `cpf` is here: `printable-text` carries its own pattern in the document, and a difference
between that pattern and the format is something the test should find.
"""

from hypothesis import strategies as st

import schemathesis


def _check_digit(digits: list[int]) -> int:
    weight_start = len(digits) + 1
    total = sum(digit * (weight_start - index) for index, digit in enumerate(digits))
    rest = (total * 10) % 11
    return 0 if rest == 10 else rest


def _cpf(base: list[int]) -> str:
    first = _check_digit(base)
    second = _check_digit([*base, first])
    return "".join(str(digit) for digit in [*base, first, second])


# A CPF: 11 digits, the last two the check digits of the first nine, which are not all one digit
# (the rule of contracts/src/cpf.ts).
schemathesis.openapi.format(
    "cpf",
    st.lists(st.integers(min_value=0, max_value=9), min_size=9, max_size=9)
    .filter(lambda base: len(set(base)) > 1)
    .map(_cpf),
)


# A subscription ends on or after the day it starts (`fim ≥ inicio`, checked by the gateway and
# by PostgreSQL): a rule across two fields, which JSON Schema cannot state. Bodies that break it
# are not generated as valid ones.
@schemathesis.hook("filter_body").apply_to(operation_id="updateSubscription")
def subscription_ends_after_it_starts(ctx, body):
    if not isinstance(body, dict):
        return True
    inicio, fim = body.get("inicio"), body.get("fim")
    if isinstance(inicio, str) and isinstance(fim, str):
        return fim >= inicio
    return True
