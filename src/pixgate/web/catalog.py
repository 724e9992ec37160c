"""Every sentence the pages show, as (Portuguese, English): one place to read and review them."""

from __future__ import annotations

PAYER: dict[str, tuple[str, str]] = {
    "lang_switch": ("English", "Português"),
    "lang_switch_code": ("en", "pt"),
    "lang_switch_label": ("Read this page in English", "Ler esta página em português"),
    "title": ("Pagamento Pix", "Pix payment"),
    "pay_to": ("Pagar para", "Pay to"),
    "amount": ("Valor", "Amount"),
    "reference": ("Identificador", "Reference"),
    "status_ACTIVE": ("Aguardando pagamento", "Waiting for payment"),
    "status_PAID": ("Pagamento confirmado", "Payment confirmed"),
    "status_EXPIRED": ("Este Pix expirou", "This Pix has expired"),
    "status_REMOVED": ("Esta cobrança foi cancelada", "This charge was cancelled"),
    "expires_in": ("Expira em", "Expires in"),
    "expires_at": ("às {time}", "at {time}"),
    "how_title": ("Como pagar", "How to pay"),
    "how_1": ("Abra o app do seu banco e entre na área Pix.",
              "Open your bank app and go to Pix."),
    "how_2": ("Escolha Pix copia e cola e cole o código, ou leia o QR Code.",
              "Choose Pix copy and paste and paste the code, or scan the QR code."),
    "how_3": ("Confira os dados e confirme. Esta página atualiza sozinha.",
              "Check the details and confirm. This page updates by itself."),
    "code_label": ("Código Pix copia e cola", "Pix copy and paste code"),
    "copy": ("Copiar código", "Copy code"),
    "copied": ("Código copiado. Cole no app do seu banco.",
               "Code copied. Paste it in your bank app."),
    "copied_short": ("Copiado!", "Copied!"),
    "copy_failed": ("Não foi possível copiar: o código foi selecionado, copie manualmente.",
                    "Could not copy: the code is selected, copy it by hand."),
    "qr_label": ("QR Code Pix de {amount} para {name}", "Pix QR code for {amount} to {name}"),
    "qr_hint": ("Ou leia este QR Code com o app do banco.",
                "Or scan this QR code with your bank app."),
    "paid_title": ("Pagamento confirmado", "Payment confirmed"),
    "paid_text": ("Recebemos o seu Pix de {amount} para {name}. Obrigado!",
                  "We received your Pix of {amount} to {name}. Thank you!"),
    "paid_at": ("Pago em {time}", "Paid on {time}"),
    "paid_keep": ("Você já pode fechar esta página.", "You can close this page now."),
    "return": ("Voltar à loja", "Back to the store"),
    "expired_title": ("Este Pix expirou", "This Pix has expired"),
    "expired_text": ("O prazo para pagar acabou e este código não pode mais ser pago. "
                     "Volte à loja e gere um novo Pix para concluir a compra.",
                     "The time to pay is over and this code can no longer be paid. "
                     "Go back to the store and create a new Pix to finish your purchase."),
    "removed_title": ("Cobrança cancelada", "Charge cancelled"),
    "removed_text": ("A loja cancelou esta cobrança, então ela não pode mais ser paga. "
                     "Fale com a loja se ainda quiser comprar.",
                     "The store cancelled this charge, so it can no longer be paid. "
                     "Contact the store if you still want to buy."),
    "sandbox_banner": ("Ambiente de testes: nenhum dinheiro de verdade é movimentado.",
                       "Test environment: no real money moves."),
    "sandbox_link": ("Pagar no banco sandbox", "Pay with the sandbox bank"),
    "footer": ("Pagamento Pix processado por pixgate", "Pix payment processed by pixgate"),
    "error_title": ("Algo deu errado", "Something went wrong"),
    "error_404": ("Não encontramos esta página ou este pagamento.",
                  "We could not find this page or this payment."),
    "error_other": ("Não foi possível atender ao pedido.", "The request could not be served."),
}

SANDBOX: dict[str, tuple[str, str]] = {
    "sb_title": ("Banco Sandbox", "Sandbox Bank"),
    "sb_subtitle": ("Um app de banco de mentira para testar pagamentos Pix.",
                    "A pretend bank app to test Pix payments."),
    "sb_paste_label": ("Pix copia e cola", "Pix copy and paste"),
    "sb_paste_hint": ("Cole aqui o código copiado da página de pagamento.",
                      "Paste the code copied from the payment page."),
    "sb_upload_label": ("Ou envie uma imagem do QR Code", "Or upload a picture of the QR code"),
    "sb_upload_hint": ("PNG, JPEG, GIF ou WebP, até 4 MB.", "PNG, JPEG, GIF or WebP, up to 4 MB."),
    "sb_read": ("Ler código", "Read code"),
    "sb_reading": ("Lendo o código…", "Reading the code…"),
    "sb_review": ("Confira antes de pagar", "Check before paying"),
    "sb_receiver": ("Recebedor", "Receiver"),
    "sb_city": ("Cidade", "City"),
    "sb_key": ("Chave Pix", "Pix key"),
    "sb_amount": ("Valor", "Amount"),
    "sb_txid": ("Identificador (txid)", "Identifier (txid)"),
    "sb_kind": ("Tipo de QR Code", "QR code type"),
    "sb_static": ("Estático", "Static"),
    "sb_dynamic": ("Dinâmico", "Dynamic"),
    "sb_amount_input": ("Valor a pagar (R$)", "Amount to pay (R$)"),
    "sb_pay": ("Pagar", "Pay"),
    "sb_paying": ("Enviando o Pix…", "Sending the Pix…"),
    "sb_cancel": ("Cancelar", "Cancel"),
    "sb_done_title": ("Pix enviado", "Pix sent"),
    "sb_done_text": ("O pagamento foi feito. A página de pagamento já mostra que foi pago.",
                     "The payment went through. The payment page already shows it as paid."),
    "sb_e2e": ("Código da transação (E2E)", "Transaction id (E2E)"),
    "sb_when": ("Horário", "Time"),
    "sb_again": ("Pagar outro código", "Pay another code"),
    "sb_empty": ("Cole um código ou escolha uma imagem.", "Paste a code or choose a picture."),
    "sb_failed": ("Não foi possível concluir: {detail}", "Could not complete: {detail}"),
    "sb_none": ("não informado", "not given"),
}

def _all() -> dict[str, tuple[str, str]]:
    from pixgate.web.catalog_dashboard import DASHBOARD

    return {**PAYER, **SANDBOX, **DASHBOARD}


MESSAGES: dict[str, tuple[str, str]] = _all()
