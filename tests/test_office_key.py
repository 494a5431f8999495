"""The office key: making, unlocking, the file format, damage, storage and backups, passphrases.

Keys here use FLOOR_KDF, the cheapest parameters the product accepts (about 0.13 s a derivation),
and most share keys made once per session (tests/keys.py); the format is also checked by an
independent reading written from docs/FORMATS.md with `cryptography` alone.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st
from joserfc.jwk import ECKey

from sync import office_key
from sync.certificate import kid_named_in
from sync.durable import TargetRefused
from sync.jose import b64url_decode, b64url_encode, fingerprint_groups, thumbprint
from sync.office_key import (
    DEFAULT_KDF,
    FLOOR_KDF,
    FORMAT,
    MAX_ITERATIONS,
    MAX_MEMORY_COST,
    MIN_ITERATIONS,
    MIN_MEMORY_COST,
    MIN_PASSPHRASE_LENGTH,
    DamagedKeyFile,
    KdfParameters,
    KeyExists,
    KeyFileAccessError,
    KeyFileTooCostly,
    KeyFileTooWeak,
    NoOfficeKey,
    OfficeKey,
    OfficeNameRequired,
    WeakPassphrase,
    WrongPassphrase,
    change_passphrase,
    change_stored_passphrase,
    create_key,
    export_backup,
    import_backup,
    key_path,
    load_key_file,
    passphrase_hint,
    read_key_file,
    require_acceptable_passphrase,
    save_key_file,
    unlock,
    unlock_stored,
)
from tests.keys import floor_key

PASSPHRASE = "violet anchor drizzle pumpkin"
OTHER_PASSPHRASE = "lantern okra tidal saxophone"
OFFICE = "Mairie de Kaolack"
FIELDS = {
    "format",
    "office_name",
    "created_at",
    "kid",
    "public_jwk",
    "certificate",
    "kdf",
    "encryption",
    "encrypted_private_key",
    "checksum",
}
NOT_IN_AAD = ("encrypted_private_key", "checksum")


def made(office_name: str = OFFICE, passphrase: str = PASSPHRASE) -> tuple[OfficeKey, bytes]:
    """A new key: for the tests about making keys (the others share `floor_key`'s)."""
    return create_key(office_name, passphrase, FLOOR_KDF)


@pytest.fixture(scope="module")
def key_and_file() -> tuple[OfficeKey, bytes]:
    """One key for the tests that only read (hypothesis forbids function-scoped fixtures)."""
    return floor_key(OFFICE, PASSPHRASE)


# --- an independent reading of the format, as docs/FORMATS.md states it ---------------------


def jcs(value: Any) -> bytes:
    """RFC 8785 canonical JSON for strings, integers and objects with ASCII keys."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def aad_of(document: dict[str, Any]) -> bytes:
    return jcs(
        {k: v for k, v in document.items() if k not in ("encrypted_private_key", "checksum")}
    )


def checksum_of(document: dict[str, Any]) -> str:
    return hashlib.sha256(jcs({k: v for k, v in document.items() if k != "checksum"})).hexdigest()


def wrapping_key(document: dict[str, Any], passphrase: str) -> bytes:
    kdf = document["kdf"]
    return Argon2id(
        salt=b64url_decode(kdf["salt"]),
        length=32,
        iterations=kdf["iterations"],
        lanes=kdf["lanes"],
        memory_cost=kdf["memory_cost"],
    ).derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))


def seal_by_hand(document: dict[str, Any], pkcs8: bytes, passphrase: str) -> bytes:
    """A key file whose ciphertext, AAD and checksum are all right for `document` as given."""
    sealed = {k: v for k, v in document.items() if k not in NOT_IN_AAD}
    nonce = b64url_decode(sealed["encryption"]["nonce"])
    ciphertext = ChaCha20Poly1305(wrapping_key(sealed, passphrase)).encrypt(
        nonce, pkcs8, aad_of(sealed)
    )
    sealed["encrypted_private_key"] = b64url_encode(ciphertext)
    sealed["checksum"] = checksum_of(sealed)
    return jcs(sealed)


def pkcs8_of(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def rewritten(
    data: bytes, change: Callable[[dict[str, Any]], None], *, fix_checksum: bool = False
) -> bytes:
    """The key file with one field changed, still canonical JSON; the checksum left or redone."""
    document = json.loads(data)
    change(document)
    if fix_checksum:
        document["checksum"] = checksum_of(document)
    return jcs(document)


def reason(error: pytest.ExceptionInfo[DamagedKeyFile]) -> str:
    return str(error.value.params.get("reason"))


# --- making and unlocking --------------------------------------------------------------------


def test_unlocking_gives_back_the_same_key(key_and_file: tuple[OfficeKey, bytes]) -> None:
    key, data = key_and_file
    unlocked = unlock(data, PASSPHRASE)
    assert unlocked.office_name == OFFICE
    assert (
        unlocked.private_key.public_key().public_numbers()
        == key.private_key.public_key().public_numbers()
    )
    assert (
        unlocked.private_key.private_numbers().private_value
        == key.private_key.private_numbers().private_value
    )
    assert unlocked.certificate == key.certificate
    assert unlocked.kid == key.kid


def test_two_created_keys_have_different_ids() -> None:
    assert made()[0].kid != made()[0].kid


def test_the_file_holds_neither_the_passphrase_nor_the_private_key(
    key_and_file: tuple[OfficeKey, bytes],
) -> None:
    key, data = key_and_file
    pkcs8 = pkcs8_of(key.private_key)
    scalar = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    assert PASSPHRASE.encode() not in data
    for secret in (pkcs8, scalar):
        assert secret not in data
        assert base64.b64encode(secret) not in data
        assert b64url_encode(secret).encode() not in data
        assert secret.hex().encode() not in data
    assert scalar.hex() not in repr(key)


def test_the_file_is_the_documented_format(key_and_file: tuple[OfficeKey, bytes]) -> None:
    key, data = key_and_file
    document = json.loads(data.decode("utf-8"))
    assert set(document) == FIELDS
    assert jcs(document) == data, "the file is exactly its RFC 8785 canonical form"
    assert document["format"] == FORMAT == "hrcities-office-key/1"
    assert document["office_name"] == OFFICE
    assert document["kid"] == key.kid
    assert document["public_jwk"] == key.public_jwk
    der = base64.b64decode(document["certificate"], validate=True)
    assert x509.load_der_x509_certificate(der) == key.certificate
    assert document["kdf"] == {
        "algorithm": "argon2id",
        "version": 19,
        "iterations": FLOOR_KDF.iterations,
        "lanes": FLOOR_KDF.lanes,
        "memory_cost": FLOOR_KDF.memory_cost,
        "salt": document["kdf"]["salt"],
    }
    assert len(b64url_decode(document["kdf"]["salt"])) == 16
    assert document["encryption"]["algorithm"] == "chacha20-poly1305"
    assert len(b64url_decode(document["encryption"]["nonce"])) == 12
    assert document["checksum"] == checksum_of(document)
    pkcs8 = ChaCha20Poly1305(wrapping_key(document, PASSPHRASE)).decrypt(
        b64url_decode(document["encryption"]["nonce"]),
        b64url_decode(document["encrypted_private_key"]),
        aad_of(document),
    )
    assert pkcs8 == pkcs8_of(key.private_key)


def test_the_key_id_is_the_rfc7638_thumbprint(key_and_file: tuple[OfficeKey, bytes]) -> None:
    key, _data = key_and_file
    assert key.kid == thumbprint(key.public_jwk)
    assert key.kid == ECKey.import_key(key.public_jwk).thumbprint()
    assert key.fingerprint == fingerprint_groups(key.kid)
    assert set(key.public_jwk) == {"kty", "crv", "x", "y"}


def test_the_certificate_is_on_the_key_and_names_its_id(
    key_and_file: tuple[OfficeKey, bytes],
) -> None:
    key, data = key_and_file
    certificate = read_key_file(data).certificate
    assert certificate.public_key() == key.private_key.public_key()
    assert kid_named_in(certificate) == key.kid
    serials = certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    assert [attribute.value for attribute in serials] == [b64url_decode(key.kid).hex()]


def test_the_public_part_reads_without_the_passphrase(
    key_and_file: tuple[OfficeKey, bytes],
) -> None:
    key, data = key_and_file
    info = read_key_file(data)
    assert (info.office_name, info.kid, info.fingerprint) == (OFFICE, key.kid, key.fingerprint)
    assert info.public_jwk == key.public_jwk
    assert info.kdf == FLOOR_KDF
    assert info.created_at.endswith("+00:00")


def test_a_passphrase_unlocks_in_any_unicode_normal_form() -> None:
    passphrase = "café crème brûlée à l'été"
    _key, data = made(passphrase=unicodedata.normalize("NFD", passphrase))
    unlock(data, unicodedata.normalize("NFC", passphrase))


def test_the_office_name_is_required_and_the_passphrase_not_empty() -> None:
    with pytest.raises(OfficeNameRequired):
        create_key("   ", PASSPHRASE, FLOOR_KDF)
    with pytest.raises(WeakPassphrase):
        create_key(OFFICE, "", FLOOR_KDF)


def test_kdf_parameters_out_of_range_are_refused() -> None:
    for bad in (
        {"iterations": 0, "lanes": 1, "memory_cost": 8},
        {"iterations": 1, "lanes": 0, "memory_cost": 8},
        {"iterations": 1, "lanes": 4, "memory_cost": 31},
        {"iterations": 1, "lanes": 1, "memory_cost": 2**30},
        {"iterations": True, "lanes": 1, "memory_cost": 8},
    ):
        with pytest.raises(ValueError, match="must be"):
            KdfParameters(**bad)


def test_the_default_kdf_is_memory_hard() -> None:
    assert DEFAULT_KDF.memory_cost >= 64 * 1024
    assert DEFAULT_KDF.lanes <= 4
    assert FLOOR_KDF.memory_cost < DEFAULT_KDF.memory_cost


# --- a wrong passphrase, a damaged file ------------------------------------------------------


def test_a_wrong_passphrase_changes_nothing_and_the_right_one_still_works(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    key, data = key_and_file
    save_key_file(tmp_path, data)
    with pytest.raises(WrongPassphrase) as error:
        unlock(load_key_file(tmp_path), "violet anchor drizzle pumpkins")
    assert error.value.code == "wrong_passphrase"
    assert "Nothing was changed" in str(error.value)
    assert load_key_file(tmp_path) == data
    assert sorted(p.name for p in key_path(tmp_path).parent.iterdir()) == ["office-key.json"]
    assert unlock(load_key_file(tmp_path), PASSPHRASE).kid == key.kid


@given(position=st.data(), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_a_damaged_file(
    key_and_file: tuple[OfficeKey, bytes], position: st.DataObject, flip: int
) -> None:
    _key, data = key_and_file
    index = position.draw(st.integers(min_value=0, max_value=len(data) - 1))
    damaged = bytearray(data)
    damaged[index] ^= flip
    with pytest.raises(DamagedKeyFile):
        read_key_file(bytes(damaged))
    with pytest.raises(DamagedKeyFile) as error:
        unlock(bytes(damaged), PASSPHRASE)
    assert error.value.code == "damaged_key_file"
    assert "backup" in str(error.value)


@given(cut=st.data())
def test_a_cut_file_is_a_damaged_file(
    key_and_file: tuple[OfficeKey, bytes], cut: st.DataObject
) -> None:
    _key, data = key_and_file
    length = cut.draw(st.integers(min_value=0, max_value=len(data) - 1))
    with pytest.raises(DamagedKeyFile):
        unlock(data[:length], PASSPHRASE)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"not json at all",
        b"\xff\xfe\x00{",
        b"[]",
        b"{}",
        b'"hrcities-office-key/1"',
        b'{"format":"hrcities-draft/1"}',
        b'{"format":"hrcities-office-key/1"}',
        b"{" * 100_000,
        b"[" * 60_000,
        b"PK\x03\x04" + os.urandom(200),
    ],
)
def test_garbage_is_a_damaged_file(garbage: bytes) -> None:
    with pytest.raises(DamagedKeyFile):
        read_key_file(garbage)
    with pytest.raises(DamagedKeyFile):
        unlock(garbage, PASSPHRASE)


def test_reformatted_json_is_a_damaged_file(key_and_file: tuple[OfficeKey, bytes]) -> None:
    _key, data = key_and_file
    for spelling in (
        json.dumps(json.loads(data), indent=2).encode(),
        data + b"\n",
        b" " + data,
        json.dumps(
            dict(reversed(json.loads(data).items())), separators=(",", ":"), ensure_ascii=False
        ).encode(),
    ):
        with pytest.raises(DamagedKeyFile) as error:
            unlock(spelling, PASSPHRASE)
        assert reason(error) == "not canonical JSON"


def test_a_newer_format_asks_for_an_update(key_and_file: tuple[OfficeKey, bytes]) -> None:
    _key, data = key_and_file
    newer = rewritten(data, lambda d: d.update(format="hrcities-office-key/2"), fix_checksum=True)
    with pytest.raises(DamagedKeyFile) as error:
        read_key_file(newer)
    assert "newer version" in str(error.value)


def _other_key() -> tuple[OfficeKey, dict[str, Any]]:
    other, other_file = floor_key("Another office", PASSPHRASE)
    return other, json.loads(other_file)


PUBLIC_CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "office_name": lambda d: d.update(office_name="Mairie de Kaolack "),
    "created_at": lambda d: d.update(created_at="2020-01-01T00:00:00+00:00"),
    "public_jwk": lambda d: d.update(public_jwk=_other_key()[0].public_jwk),
    "kid": lambda d: d.update(kid=_other_key()[0].kid),
    "certificate": lambda d: d.update(certificate=_other_key()[1]["certificate"]),
    "kdf.iterations": lambda d: d["kdf"].update(iterations=3),
    "kdf.lanes": lambda d: d["kdf"].update(lanes=2),
    "kdf.memory_cost": lambda d: d["kdf"].update(memory_cost=d["kdf"]["memory_cost"] + 1024),
    "kdf.salt": lambda d: d["kdf"].update(salt=b64url_encode(bytes(16))),
    "encryption.nonce": lambda d: d["encryption"].update(nonce=b64url_encode(bytes(12))),
    "encrypted_private_key": lambda d: d.update(
        encrypted_private_key=d["encrypted_private_key"][::-1]
    ),
}


@pytest.mark.parametrize("name", sorted(PUBLIC_CHANGES))
def test_a_changed_field_is_a_damaged_file_not_a_wrong_passphrase(
    key_and_file: tuple[OfficeKey, bytes], name: str
) -> None:
    _key, data = key_and_file
    changed = rewritten(data, PUBLIC_CHANGES[name])
    assert changed != data
    with pytest.raises(DamagedKeyFile) as error:
        unlock(changed, PASSPHRASE)
    assert reason(error) == "checksum mismatch"
    with pytest.raises(DamagedKeyFile):
        read_key_file(changed)


@pytest.mark.parametrize("name", sorted(PUBLIC_CHANGES))
def test_a_changed_field_with_a_redone_checksum_never_unlocks(
    key_and_file: tuple[OfficeKey, bytes], name: str
) -> None:
    _key, data = key_and_file
    forged = rewritten(data, PUBLIC_CHANGES[name], fix_checksum=True)
    with pytest.raises((DamagedKeyFile, WrongPassphrase)):
        unlock(forged, PASSPHRASE)


@pytest.mark.parametrize(
    ("field", "why"),
    [
        ("kid", "kid: not the thumbprint of public_jwk"),
        ("public_jwk", "kid: not the thumbprint of public_jwk"),
        ("certificate", "certificate: on another key"),
    ],
)
def test_an_inconsistent_public_part_is_damaged_even_with_its_checksum(
    key_and_file: tuple[OfficeKey, bytes], field: str, why: str
) -> None:
    _key, data = key_and_file
    forged = rewritten(data, PUBLIC_CHANGES[field], fix_checksum=True)
    with pytest.raises(DamagedKeyFile) as error:
        read_key_file(forged)
    assert reason(error) == why


def test_a_private_key_that_is_not_the_public_one_is_damaged(
    key_and_file: tuple[OfficeKey, bytes],
) -> None:
    """Encrypted with the right passphrase, AAD and checksum, but holding another private key."""
    key, data = key_and_file
    document = json.loads(data)
    assert seal_by_hand(document, pkcs8_of(key.private_key), PASSPHRASE) == data
    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(DamagedKeyFile) as error:
        unlock(seal_by_hand(document, pkcs8_of(stranger), PASSPHRASE), PASSPHRASE)
    assert reason(error) == "private key: does not match public_jwk"
    with pytest.raises(DamagedKeyFile):
        unlock(seal_by_hand(document, b"not a key", PASSPHRASE), PASSPHRASE)


def test_a_ciphertext_too_short_to_hold_a_key_is_damaged(
    key_and_file: tuple[OfficeKey, bytes],
) -> None:
    _key, data = key_and_file
    for size in (0, 16):
        short = b64url_encode(bytes(size))
        forged = rewritten(
            data, lambda d, short=short: d.update(encrypted_private_key=short), fix_checksum=True
        )
        with pytest.raises(DamagedKeyFile):
            read_key_file(forged)


def certificate_on(
    key: OfficeKey, *, serial: str, signer: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    """A certificate on the office key naming `serial`, signed by `signer`."""
    name = x509.Name([x509.NameAttribute(NameOID.SERIAL_NUMBER, serial)])
    moment = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - dt.timedelta(days=1))
        .not_valid_after(moment + dt.timedelta(days=1))
        .sign(signer, hashes.SHA256())
    )


def test_a_certificate_naming_another_key_id_or_signed_by_another_key_is_damaged(
    key_and_file: tuple[OfficeKey, bytes],
) -> None:
    key, data = key_and_file
    stranger = ec.generate_private_key(ec.SECP256R1())
    cases = [
        (certificate_on(key, serial="00" * 32, signer=key.private_key), "serialNumber"),
        (
            certificate_on(key, serial=b64url_decode(key.kid).hex(), signer=stranger),
            "not self-signed",
        ),
    ]
    for certificate, why in cases:
        der = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
        forged = rewritten(data, lambda d, der=der: d.update(certificate=der), fix_checksum=True)
        with pytest.raises(DamagedKeyFile) as error:
            read_key_file(forged)
        assert why in reason(error)


# --- changing the passphrase -----------------------------------------------------------------


def test_changing_the_passphrase_keeps_the_key(key_and_file: tuple[OfficeKey, bytes]) -> None:
    key, data = key_and_file
    changed = change_passphrase(data, PASSPHRASE, OTHER_PASSPHRASE, FLOOR_KDF)
    before, after = read_key_file(data), read_key_file(changed)
    assert after.kid == before.kid == key.kid
    assert after.certificate == before.certificate
    assert after.created_at == before.created_at
    assert json.loads(changed)["kdf"]["salt"] != json.loads(data)["kdf"]["salt"]
    with pytest.raises(WrongPassphrase):
        unlock(changed, PASSPHRASE)
    unlocked = unlock(changed, OTHER_PASSPHRASE)
    assert unlocked.private_key.private_numbers() == key.private_key.private_numbers()


def test_changing_the_passphrase_can_change_the_kdf(key_and_file: tuple[OfficeKey, bytes]) -> None:
    _key, data = key_and_file
    stronger = KdfParameters(iterations=3, lanes=2, memory_cost=FLOOR_KDF.memory_cost + 1024)
    changed = change_passphrase(data, PASSPHRASE, OTHER_PASSPHRASE, stronger)
    assert read_key_file(changed).kdf == stronger
    unlock(changed, OTHER_PASSPHRASE)


def test_changing_the_passphrase_needs_the_old_one(key_and_file: tuple[OfficeKey, bytes]) -> None:
    _key, data = key_and_file
    with pytest.raises(WrongPassphrase):
        change_passphrase(data, OTHER_PASSPHRASE, PASSPHRASE, FLOOR_KDF)
    with pytest.raises(WeakPassphrase):
        change_passphrase(data, PASSPHRASE, "", FLOOR_KDF)


# --- storage in the data folder --------------------------------------------------------------


def keys_folder_names(data_dir: Path) -> list[str]:
    return sorted(path.name for path in key_path(data_dir).parent.iterdir())


def test_a_saved_key_file_loads_back_as_saved_and_saving_it_again_is_harmless(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    assert key_path(tmp_path) == tmp_path / "keys" / "office-key.json"
    save_key_file(tmp_path, data)
    assert key_path(tmp_path).read_bytes() == data
    assert load_key_file(tmp_path) == data
    save_key_file(tmp_path, data)
    assert keys_folder_names(tmp_path) == ["office-key.json"]


def test_loading_without_a_key_file_says_there_is_no_office_key(tmp_path: Path) -> None:
    with pytest.raises(NoOfficeKey) as error:
        load_key_file(tmp_path)
    assert error.value.code == "no_office_key"


def test_another_key_is_not_replaced_unless_asked(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    key, data = key_and_file
    other, other_file = floor_key("Another office", PASSPHRASE)
    save_key_file(tmp_path, data)
    with pytest.raises(KeyExists) as error:
        save_key_file(tmp_path, other_file)
    assert error.value.code == "key_exists"
    assert key.fingerprint in str(error.value)
    assert load_key_file(tmp_path) == data
    assert keys_folder_names(tmp_path) == ["office-key.json"]

    save_key_file(tmp_path, other_file, replace=True)
    assert read_key_file(load_key_file(tmp_path)).kid == other.kid
    kept = [name for name in keys_folder_names(tmp_path) if name != "office-key.json"]
    assert len(kept) == 1
    assert kept[0].startswith("office-key.replaced-")
    assert (key_path(tmp_path).parent / kept[0]).read_bytes() == data


def test_the_same_key_under_a_new_passphrase_replaces_the_old_file(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    save_key_file(tmp_path, data)
    changed = change_passphrase(data, PASSPHRASE, OTHER_PASSPHRASE, FLOOR_KDF)
    save_key_file(tmp_path, changed)
    assert load_key_file(tmp_path) == changed
    assert keys_folder_names(tmp_path) == ["office-key.json"], "the old passphrase is not kept"


def test_a_damaged_key_file_is_replaced_but_kept_aside(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    path = key_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(data[:100])
    save_key_file(tmp_path, data)
    assert load_key_file(tmp_path) == data
    kept = [name for name in keys_folder_names(tmp_path) if name != "office-key.json"]
    assert [(path.parent / name).read_bytes() for name in kept] == [data[:100]]


def test_a_damaged_file_is_never_saved(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    with pytest.raises(DamagedKeyFile):
        save_key_file(tmp_path, data[:-1])
    assert not key_path(tmp_path).parent.exists()


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    _key, data = key_and_file
    save_key_file(tmp_path, data)
    changed = change_passphrase(data, PASSPHRASE, OTHER_PASSPHRASE, FLOOR_KDF)

    def power_cut(_source: object, _target: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(KeyFileAccessError) as error:
        save_key_file(tmp_path, changed)
    monkeypatch.undo()
    assert "Nothing was changed" in str(error.value)
    assert load_key_file(tmp_path) == data
    assert keys_folder_names(tmp_path) == ["office-key.json"]


# --- backups ---------------------------------------------------------------------------------


def test_a_backup_is_never_written_to_a_mistyped_folder_nor_over_a_file(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    """`keys export bad/nofolder/k.json` used to make the folders on the local disk and say
    "Backup written": the only backup was then not on the USB stick at all."""
    _key, data = key_and_file
    office = tmp_path / "office"
    save_key_file(office, data)
    with pytest.raises(TargetRefused) as missing:
        export_backup(office, tmp_path / "bad" / "nofolder" / "k.json")
    assert "does not exist, so nothing was written" in str(missing.value)
    assert not (tmp_path / "bad").exists()
    existing = tmp_path / "k.json"
    existing.write_bytes(b"someone's file")
    with pytest.raises(TargetRefused) as there:
        export_backup(office, existing)
    assert "already exists, so nothing was written" in str(there.value)
    assert existing.read_bytes() == b"someone's file"
    export_backup(office, existing, replace=True)
    assert existing.read_bytes() == data


def test_a_backup_restores_the_key_elsewhere(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    key, data = key_and_file
    office, elsewhere, usb = tmp_path / "office", tmp_path / "elsewhere", tmp_path / "usb"
    save_key_file(office, data)
    usb.mkdir()
    backup = usb / "office-key-backup.json"
    assert export_backup(office, backup) == backup.resolve()
    assert backup.read_bytes() == data
    assert sorted(path.name for path in usb.iterdir()) == ["office-key-backup.json"]
    info = import_backup(elsewhere, backup)
    assert info.kid == key.kid
    assert load_key_file(elsewhere) == data
    assert unlock(load_key_file(elsewhere), PASSPHRASE).kid == key.kid


def test_a_damaged_backup_is_refused_and_the_key_untouched(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    _other, other_file = floor_key("Another office", PASSPHRASE)
    save_key_file(tmp_path / "office", data)
    backup = tmp_path / "backup.json"
    damaged = bytearray(other_file)
    damaged[len(damaged) // 2] ^= 0x01
    backup.write_bytes(bytes(damaged))
    for replace in (False, True):
        with pytest.raises(DamagedKeyFile) as error:
            import_backup(tmp_path / "office", backup, replace=replace)
        assert "backup.json" in str(error.value)
        assert load_key_file(tmp_path / "office") == data
        assert keys_folder_names(tmp_path / "office") == ["office-key.json"]


def test_a_backup_of_another_key_needs_replace(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    other, other_file = floor_key("Another office", PASSPHRASE)
    save_key_file(tmp_path / "office", data)
    backup = tmp_path / "other.json"
    backup.write_bytes(other_file)
    with pytest.raises(KeyExists):
        import_backup(tmp_path / "office", backup)
    assert load_key_file(tmp_path / "office") == data
    assert import_backup(tmp_path / "office", backup, replace=True).kid == other.kid


def test_a_missing_backup_says_so(tmp_path: Path) -> None:
    with pytest.raises(KeyFileAccessError) as error:
        import_backup(tmp_path / "office", tmp_path / "nowhere.json")
    assert "nowhere.json" in str(error.value)
    assert not (tmp_path / "office").exists()


def test_no_backup_of_a_missing_or_damaged_key(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    target = tmp_path / "usb" / "backup.json"
    with pytest.raises(NoOfficeKey):
        export_backup(tmp_path / "office", target)
    key_path(tmp_path / "office").parent.mkdir(parents=True)
    key_path(tmp_path / "office").write_bytes(data[:-2])
    with pytest.raises(DamagedKeyFile):
        export_backup(tmp_path / "office", target)
    assert not target.exists()


# --- passphrases -----------------------------------------------------------------------------


def test_a_common_password_is_not_acceptable() -> None:
    hint = passphrase_hint("password123")
    assert not hint.acceptable
    assert hint.score <= 1
    assert "at least 12 characters" in hint.message
    with pytest.raises(WeakPassphrase) as error:
        require_acceptable_passphrase("password123")
    assert error.value.code == "weak_passphrase"


def test_long_but_guessable_is_not_acceptable() -> None:
    hint = passphrase_hint("aaaaaaaaaaaaaaaaaaaa")
    assert (hint.acceptable, hint.score) == (False, 0)
    assert "Easy to guess" in hint.message
    with pytest.raises(WeakPassphrase):
        require_acceptable_passphrase("aaaaaaaaaaaaaaaaaaaa")


def test_random_words_are_acceptable() -> None:
    hint = passphrase_hint(PASSPHRASE)
    assert hint.acceptable
    assert hint.score >= 3
    assert "Strong enough" in hint.message
    require_acceptable_passphrase(PASSPHRASE)


def test_short_is_not_acceptable_however_random() -> None:
    assert len("Xq9!vT2#kP") < MIN_PASSPHRASE_LENGTH
    assert not passphrase_hint("Xq9!vT2#kP").acceptable


def test_the_office_name_is_a_weak_passphrase() -> None:
    assert passphrase_hint("mairie de kaolack").acceptable
    assert not passphrase_hint("mairie de kaolack", context=[OFFICE]).acceptable


def test_a_very_long_passphrase_is_scored() -> None:
    assert passphrase_hint(" ".join([PASSPHRASE] * 10)).acceptable


def test_importing_an_older_backup_of_the_same_key_keeps_the_current_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _key, data = office_key.create_key(
        "Mairie", "first long passphrase here", kdf=office_key.FLOOR_KDF
    )
    office_key.save_key_file(data_dir, data)
    backup = tmp_path / "backup.json"
    office_key.export_backup(data_dir, backup)
    changed = office_key.change_passphrase(
        data, "first long passphrase here", "second long passphrase here", kdf=office_key.FLOOR_KDF
    )
    office_key.save_key_file(data_dir, changed, replace=True)
    office_key.import_backup(data_dir, backup)
    kept = [p.read_bytes() for p in (data_dir / "keys").glob("office-key.replaced-*.json")]
    assert changed in kept, "the file with the newer passphrase is kept aside"
    office_key.unlock(office_key.load_key_file(data_dir), "first long passphrase here")


def test_exports_are_readable_files_and_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    from sync.durable import write_atomically  # noqa: PLC0415

    write_atomically(tmp_path / "form.pdf", b"%PDF")
    assert (tmp_path / "form.pdf").stat().st_mode & 0o044, "others may read an exported PDF"
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "typo" / "form.pdf", b"%PDF")
    assert not (tmp_path / "typo").exists()
    write_atomically(tmp_path / "keys" / "office-key.json", b"{}", private=True, make_folder=True)
    assert (tmp_path / "keys" / "office-key.json").stat().st_mode & 0o077 == 0


# --- the bounds of the key derivation, and re-wrapping a weaker file -------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"iterations": 1, "lanes": 1, "memory_cost": MIN_MEMORY_COST},
        {"iterations": 2, "lanes": 1, "memory_cost": MIN_MEMORY_COST - 1},
        {"iterations": 11, "lanes": 1, "memory_cost": MIN_MEMORY_COST},
        {"iterations": 2, "lanes": 17, "memory_cost": MIN_MEMORY_COST},
        {"iterations": 2, "lanes": 1, "memory_cost": MAX_MEMORY_COST + 1},
    ],
)
def test_the_app_cannot_make_parameters_it_would_refuse_to_read(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="must be"):
        KdfParameters(**bad)
    assert KdfParameters(iterations=MAX_ITERATIONS, lanes=16, memory_cost=MAX_MEMORY_COST)


def test_the_floor_and_the_ceiling_are_the_documented_ones() -> None:
    assert (MIN_MEMORY_COST, MIN_ITERATIONS) == (64 * 1024, 2)
    assert (MAX_MEMORY_COST, MAX_ITERATIONS) == (2 * 1024 * 1024, 10)
    assert KdfParameters(iterations=2, lanes=1, memory_cost=64 * 1024) == FLOOR_KDF
    assert FLOOR_KDF.weaker_than(DEFAULT_KDF)
    assert not DEFAULT_KDF.weaker_than(DEFAULT_KDF)
    more_memory_fewer_passes = KdfParameters(iterations=2, lanes=4, memory_cost=512 * 1024)
    assert not more_memory_fewer_passes.weaker_than(DEFAULT_KDF), "not weaker in every way"
    assert KdfParameters(iterations=3, lanes=1, memory_cost=128 * 1024).weaker_than(DEFAULT_KDF)


@pytest.mark.parametrize(
    ("kdf", "numbers"),
    [
        ({"iterations": 1, "lanes": 1, "memory_cost": 8}, ["0.01 MiB", "1 passes"]),
        ({"iterations": 2, "lanes": 4, "memory_cost": 32 * 1024}, ["32 MiB", "2 passes"]),
        ({"iterations": 1, "lanes": 4, "memory_cost": 256 * 1024}, ["256 MiB", "1 passes"]),
    ],
)
def test_a_key_file_below_the_floor_is_refused_as_too_weak(
    key_and_file: tuple[OfficeKey, bytes], kdf: dict[str, int], numbers: list[str]
) -> None:
    """Whole and consistent (sealed for real under those parameters), and still refused."""
    key, data = key_and_file
    document = json.loads(data)
    document["kdf"].update(kdf)
    weak = seal_by_hand(document, pkcs8_of(key.private_key), PASSPHRASE)
    for attempt in (read_key_file, lambda d: unlock(d, PASSPHRASE)):
        with pytest.raises(KeyFileTooWeak) as error:
            attempt(weak)
        assert error.value.code == "key_file_too_weak"
        text = str(error.value)
        assert "protected too weakly" in text
        assert "at least 64 MiB and 2 passes" in text
        assert "not made by this app" in text
        assert all(number in text for number in numbers)
        assert "damaged" not in text


@pytest.mark.parametrize(
    "kdf",
    [
        {"memory_cost": 4 * 1024 * 1024},
        {"iterations": 11},
        {"iterations": 1_000_000},
        {"lanes": 17},
    ],
)
def test_a_key_file_above_the_ceiling_is_refused_before_any_work(
    key_and_file: tuple[OfficeKey, bytes], kdf: dict[str, int]
) -> None:
    _key, data = key_and_file
    costly = rewritten(data, lambda d: d["kdf"].update(kdf), fix_checksum=True)
    with pytest.raises(KeyFileTooCostly) as error:
        unlock(costly, PASSPHRASE)
    assert error.value.code == "key_file_too_costly"
    text = str(error.value)
    assert "more than this app asks of any computer" in text
    assert "at most 2048 MiB, 10 passes and 16 threads" in text


def test_a_backup_out_of_bounds_says_why_and_changes_nothing(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    _key, data = key_and_file
    save_key_file(tmp_path / "office", data)
    backup = tmp_path / "weak-backup.json"
    backup.write_bytes(rewritten(data, lambda d: d["kdf"].update(iterations=1), fix_checksum=True))
    with pytest.raises(KeyFileTooWeak):
        import_backup(tmp_path / "office", backup)
    assert load_key_file(tmp_path / "office") == data


def test_a_key_weaker_than_today_is_rewrapped_at_its_next_unlock(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    key, data = key_and_file
    assert read_key_file(data).kdf == FLOOR_KDF
    save_key_file(tmp_path, data)

    assert unlock_stored(tmp_path, PASSPHRASE).kid == key.kid

    stronger = load_key_file(tmp_path)
    before, after = read_key_file(data), read_key_file(stronger)
    assert after.kdf == DEFAULT_KDF
    assert (after.kid, after.created_at, after.certificate) == (
        before.kid,
        before.created_at,
        before.certificate,
    )
    assert keys_folder_names(tmp_path) == ["office-key.json"], "no copy of the weak file kept"
    assert unlock(stronger, PASSPHRASE).private_key.private_numbers() == (
        key.private_key.private_numbers()
    )
    with pytest.raises(WrongPassphrase):
        unlock_stored(tmp_path, OTHER_PASSPHRASE)
    assert load_key_file(tmp_path) == stronger, "a failed unlock changes nothing"


def test_a_key_at_todays_parameters_is_left_as_it_is(tmp_path: Path) -> None:
    _key, data = floor_key(OFFICE, PASSPHRASE)
    save_key_file(tmp_path, data)
    unlock_stored(tmp_path, PASSPHRASE)
    rewrapped_once = load_key_file(tmp_path)
    unlock_stored(tmp_path, PASSPHRASE)
    assert load_key_file(tmp_path) == rewrapped_once


def test_a_failed_rewrap_keeps_the_old_file_whole_and_still_unlocks(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    key, data = key_and_file
    save_key_file(tmp_path, data)

    def power_cut(_source: object, _target: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", power_cut)
    assert unlock_stored(tmp_path, PASSPHRASE).kid == key.kid
    monkeypatch.undo()
    assert load_key_file(tmp_path) == data
    assert keys_folder_names(tmp_path) == ["office-key.json"]


def test_changing_the_passphrase_in_the_data_folder_uses_todays_parameters(
    tmp_path: Path, key_and_file: tuple[OfficeKey, bytes]
) -> None:
    key, data = key_and_file
    save_key_file(tmp_path, data)
    info = change_stored_passphrase(tmp_path, PASSPHRASE, OTHER_PASSPHRASE)
    assert (info.kid, info.kdf) == (key.kid, DEFAULT_KDF)
    assert unlock(load_key_file(tmp_path), OTHER_PASSPHRASE).kid == key.kid
    with pytest.raises(WrongPassphrase):
        change_stored_passphrase(tmp_path, PASSPHRASE, "whatever else entirely")
