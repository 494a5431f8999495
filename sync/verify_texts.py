"""What each verification check says, passed, failed or not run (English msgids, translated when
shown). Kept apart from `sync.verify` so that the checks read as code and the texts as texts.

Values from the file fill the `{named}` places only through `Check.render`, which makes them
printable first: no text here may be formatted with a value any other way.
"""

from __future__ import annotations

from i18n.translate import N_

PASSED: dict[str, str] = {
    "structure": N_("The file is a signed form (a JWS envelope)."),
    "header": N_("The form is signed with ES256, the app's signature method."),
    "key_id": N_("The signature names the office key {fingerprint}."),
    "expected_key": N_("The form is signed with the expected office key {fingerprint}."),
    "signature": N_("The signature matches: nothing was changed since the office signed."),
    "payload": N_("The signed content is a complete submission ({submission_id})."),
    "dates": N_("The statement's date ({signed_on}) is not later than the moment of signing."),
    "corrects": N_("The form is a first submission: it corrects no earlier one."),
    "corrects_other": N_("The form corrects an earlier submission ({corrects})."),
    "attachment_list": N_("The list of attached files is exactly the files the answers name."),
    "attachment": N_("The attached file {name} is present and unchanged."),
    "no_attachments": N_("The form has no attached files."),
    "signature_image": N_("The picture of the handwritten signature is present and unchanged."),
    "form": N_("The form {form_id}, version {version}, is known."),
    "answers": N_("Every answer passes the form's checks."),
    "signer": N_("The signer ({name}, {position}) and the date are those the answers give."),
    "statement": N_(
        "The signed statement is the form's own text in {language}, with the answers' names."
    ),
}

NOT_RUN: dict[str, str] = {
    "header": N_("The signature information was not checked, because an earlier check failed."),
    "key_id": N_("The office key was not checked, because an earlier check failed."),
    "expected_key": N_(
        "The office key was not compared with the expected one, because an earlier check failed."
    ),
    "signature": N_("The signature was not checked, because an earlier check failed."),
    "payload": N_("The signed content was not read, because an earlier check failed."),
    "dates": N_("The dates were not checked, because an earlier check failed."),
    "corrects": N_(
        "The submission this one corrects was not checked, because an earlier check failed."
    ),
    "attachment_list": N_(
        "The list of attached files was not checked, because an earlier check failed."
    ),
    "attachment": N_("The attached files were not checked, because an earlier check failed."),
    "signature_image": N_(
        "The picture of the handwritten signature was not checked, because an earlier check failed."
    ),
    "form": N_("The form version was not checked, because an earlier check failed."),
    "answers": N_("The answers were not checked, because an earlier check failed."),
    "signer": N_("The signer and the date were not checked, because an earlier check failed."),
    "statement": N_("The signed statement was not checked, because an earlier check failed."),
}

# Checks that did not run because nothing was given to check against (not because of a failure).
NOT_GIVEN: dict[str, str] = {
    "attachment": N_(
        "The attached files were not checked: no folder of files was given to check them against."
    ),
    "signature_image": N_(
        "The picture of the handwritten signature was not checked: no folder of files was "
        "given to check it against."
    ),
}

FAILED: dict[str, str] = {
    "key_id_mismatch": N_(
        "The key id in this form ({kid}) does not belong to the key that signed it: the form "
        "may be forged. Do not accept it; ask the municipality to sign it again."
    ),
    "unexpected_key": N_(
        "The form is signed with the office key {fingerprint}, not with the key expected "
        "({expected}). Do not accept it as this office's form until the office has confirmed "
        "its key's fingerprint, by telephone for example."
    ),
    "payload_key_mismatch": N_(
        "The signed content names another office key ({kid}) than the one that signed it: the "
        "form may be forged. Do not accept it; ask the municipality to sign it again."
    ),
    "bad_signature": N_(
        "The signature does not match: the form was changed after it was signed, or damaged "
        "on the way. Ask the municipality to send it again."
    ),
    "non_canonical_signature": N_(
        "The signature matches, but it is written in a second form that the app never writes: "
        "another program changed the file after it was signed. Ask the municipality to send "
        "the form again."
    ),
    "signed_on_after_signed_at": N_(
        "The statement is dated {signed_on}, a day that had not yet begun anywhere on Earth "
        "when it was signed ({signed_at}): the date or the computer's clock was wrong. Ask the "
        "municipality to correct the date and sign the form again."
    ),
    "corrects_itself": N_(
        "The form says it corrects itself ({submission_id}), which the app never does: it was "
        "not made by the app. Ask the municipality to sign the form again with the app."
    ),
    "attachment_listed_twice": N_(
        "The attached file {name} is listed twice in the signed form, which the app never "
        "does: it was not made by the app. Ask the municipality to sign the form again with "
        "the app."
    ),
    "attachment_not_named": N_(
        "The signed form lists the attached file {name}, but no answer names it: it was not "
        "made by the app. Ask the municipality to sign the form again with the app."
    ),
    "attachment_not_listed": N_(
        "An answer names the attached file {name}, but the signed list of files leaves it out, "
        "so nothing proves which file was meant. Ask the municipality to sign the form again "
        "with the app."
    ),
    "attachment_mismatch": N_(
        "The signed list of files describes the attached file {name} differently from the "
        "answers (its name, type or size): it was not made by the app. Ask the municipality "
        "to sign the form again with the app."
    ),
    "attachment_missing": N_(
        "The attached file {name} is missing, so it cannot be checked. Ask the sender for the "
        "complete submission with all its files."
    ),
    "attachment_altered": N_(
        "The attached file {name} is not the file that was signed: it was changed or damaged "
        "on the way. Ask the municipality to send it again."
    ),
    "signature_image_missing": N_(
        "The picture of the handwritten signature is missing, so it cannot be checked. Ask the "
        "sender for the complete submission with all its files."
    ),
    "signature_image_altered": N_(
        "The picture of the handwritten signature is not the one that was signed: it was "
        "changed or damaged on the way. Ask the municipality to send the form again."
    ),
    "unknown_form": N_(
        "This form ({form_id}, version {version}) is unknown to this program, so its answers "
        "cannot be checked. Update this program, then check the form again."
    ),
    "answers_invalid": N_(
        "Some answers in the signed form do not pass the form's checks ({findings}): it was "
        "signed before it was complete and correct. Ask the municipality to correct the form "
        "and sign it again."
    ),
    "answers_not_asked": N_(
        "The signed form carries answers to questions the form does not ask, or blank answers "
        "({fields}), which the app never signs. Ask the municipality to sign the form again "
        "with the app."
    ),
    "signer_name_mismatch": N_(
        "The signed form gives the signer's name as {signed}, but the answers give {answer}. "
        "Ask the municipality to correct the form and sign it again."
    ),
    "signer_position_mismatch": N_(
        "The signed form gives the signer's position as {signed}, but the answers give "
        "{answer}. Ask the municipality to correct the form and sign it again."
    ),
    "signed_on_mismatch": N_(
        "The signed form is dated {signed}, but the statement's date in the answers is "
        "{answer}. Ask the municipality to correct the form and sign it again."
    ),
    "statement_mismatch": N_(
        "The signed statement is not the form's statement in {language} with the answers' "
        "names: the signer may have read another text. Do not accept it; ask the "
        "municipality to sign the form again with the app."
    ),
    "verification_error": N_(
        "This form could not be checked because of an error in this program, so nothing about "
        "it is accepted. Please report the problem, with the file."
    ),
}
