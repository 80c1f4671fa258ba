#!/usr/bin/env python3
"""Checks the factorizations of l - 1 and l + 1 used in docs/PROTOCOL.md section 9.4.

l is the prime order of ristretto255 (RFC 9496). The factors below were found with
sympy (trial division, then sympy.ntheory.ecm for l + 1); this script only multiplies
them back and tests each factor for primality with a deterministic-enough Miller-Rabin
(64 fixed bases), so it needs nothing beyond the Python standard library:

    python3 docs/data/group_order.py
"""

import math

L = 2**252 + 27742317777372353535851937790883648493

FACTORS = {
    "l - 1": (L - 1, [2, 2, 3, 11,
                      198211423230930754013084525763697,
                      276602624281642239937218680557139826668747]),
    "l + 1": (L + 1, [2, 5, 7, 103,
                      684245902131068969,
                      1466936914520620440380580414586728830413895967152734051]),
}

SMALL_PRIMES = [p for p in range(2, 400) if all(p % q for q in range(2, int(p**0.5) + 1))]


def is_probable_prime(n: int) -> bool:
    if n < 2:
        return False
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in SMALL_PRIMES[:64]:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def main() -> None:
    assert is_probable_prime(L), "l is prime"
    print(f"l = {L} ({L.bit_length()} bits), prime")
    for name, (n, factors) in FACTORS.items():
        assert math.prod(factors) == n, f"{name}: product differs"
        for f in factors:
            assert is_probable_prime(f), f"{name}: {f} is not prime"
        shown = " * ".join(f"{f} ({f.bit_length()} bits)" if f > 10**6 else str(f) for f in factors)
        print(f"{name} = {shown}")
    small_minus = math.prod(f for f in FACTORS["l - 1"][1] if f < 10**6)
    small_plus = math.prod(f for f in FACTORS["l + 1"][1] if f < 10**6)
    print(f"largest divisor of l - 1 below 2^107: {small_minus} (2^{math.log2(small_minus):.2f})")
    print(f"largest divisor of l + 1 below 2^59: {small_plus} (2^{math.log2(small_plus):.2f})")


if __name__ == "__main__":
    main()
